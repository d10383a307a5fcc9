import { NestFactory } from '@nestjs/core';
import {
  EventSourcedRepository,
  dataDirFromEnvironment,
  eventStoreFromEnvironment,
  productCodec,
} from '@medlineage/event-sourcing';
import {
  migrateReadModels,
  ProjectionSupervisor,
  ReadModelDatabase,
  readModelUrlFromEnvironment,
} from '@medlineage/read-models';
import { ApiModule } from './api.module';
import { OPENAPI_PATH, serveOpenApi } from './openapi';

/**
 * The HTTP query API. Event store: EVENTSTORE_CONNECTION_STRING, else the embedded store in
 * MEDLINEAGE_DATA_DIR (default `.medlineage/data`). Read models: DATABASE_URL (PostgreSQL), else
 * `read-models.db` beside `events.db`. Migrates, catches the projectors up, keeps them live (following
 * blue/green switches), and
 * listens on HOST:PORT (default 127.0.0.1:8080).
 */
async function main(): Promise<void> {
  const dataDir = dataDirFromEnvironment();
  const events = eventStoreFromEnvironment(dataDir);
  const readModels = ReadModelDatabase.open({ url: readModelUrlFromEnvironment(dataDir) });
  const codec = productCodec();
  await migrateReadModels(readModels.db);

  const projections = new ProjectionSupervisor({
    store: events,
    codec,
    db: readModels.db,
    log: (level, message) => process.stderr.write(`api: ${level}: ${message}\n`),
  });
  await projections.catchUp();
  projections.start();

  const app = await NestFactory.create(
    ApiModule.forRoot({
      readModels: readModels.db,
      events,
      codec,
      repository: new EventSourcedRepository(events, codec),
    }),
    { logger: ['error', 'warn'] },
  );
  serveOpenApi(app);
  const port = Number(process.env['PORT'] ?? 8080);
  const host = process.env['HOST'] ?? '127.0.0.1';
  await app.listen(port, host);
  process.stdout.write(`api: listening on http://${host}:${port} (OpenAPI at ${OPENAPI_PATH})\n`);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.close();
  await projections.stop();
  await readModels.close();
  await events.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`api: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
