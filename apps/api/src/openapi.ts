import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** Where the OpenAPI document is served (JSON only: no Swagger UI). */
export const OPENAPI_PATH = '/openapi.json';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('MedLineage query API')
    .setDescription(
      'Read models (catalog, consent, audit, lineage), projection status and entity history of the ' +
        'MedLineage event log. Every /v1 request carries X-Actor and X-Purpose-Of-Use; reads of object ' +
        'data are recorded as ObjectAccessed events.',
    )
    .setVersion('1')
    .build();
  return SwaggerModule.createDocument(app, config);
}

interface JsonResponse {
  json(body: unknown): unknown;
}

/** Builds the document once and serves it at {@link OPENAPI_PATH}. */
export function serveOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  const http = app.getHttpAdapter();
  http.get(OPENAPI_PATH, (_request: unknown, response: JsonResponse) => {
    response.json(document);
  });
}
