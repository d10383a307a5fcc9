import { NestFactory } from '@nestjs/core';
import {
  EventSourcedRepository,
  dataDirFromEnvironment,
  eventStoreFromEnvironment,
  productCodec,
} from '@medlineage/event-sourcing';
import {
  createProjectors,
  embeddedReadModelUrl,
  migrateReadModels,
  ReadModelDatabase,
} from '@medlineage/read-models';
import { ApiModule } from './api.module';
import { OPENAPI_PATH, serveOpenApi } from './openapi';

/**
 * The HTTP query API. Event store: EVENTSTORE_CONNECTION_STRING, else the embedded store in
 * MEDLINEAGE_DATA_DIR (default `.medlineage/data`). Read models: DATABASE_URL (PostgreSQL), else
 * `read-models.db` beside `events.db`. Migrates, catches the v1 projectors up, keeps them live, and
 * listens on HOST:PORT (default 127.0.0.1:8080).
 */
async function main(): Promise<void> {
  const dataDir = dataDirFromEnvironment();
  const events = eventStoreFromEnvironment(dataDir);
  const readModelUrl = process.env['DATABASE_URL'] ?? embeddedReadModelUrl(dataDir);
  const readModels = ReadModelDatabase.open({ url: readModelUrl });
  const codec = productCodec();
  await migrateReadModels(readModels.db);

  const projectors = createProjectors({ store: events, codec, db: readModels.db });
  for (const projector of projectors) await projector.catchUp();
  let stopping = false;
  const live = projectors.map((projector) =>
    projector.run().catch((error: unknown) => {
      if (stopping) return;
      process.stderr.write(
        `api: projector ${projector.projection.name} stopped: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    }),
  );

  const app = await NestFactory.create(
    ApiModule.forRoot({
      readModels: readModels.db,
      events,
      codec,
      repository: new EventSourcedRepository(events, codec),
      projectors,
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
  stopping = true;
  await app.close();
  await Promise.all(projectors.map((p) => p.stop()));
  await Promise.all(live);
  await readModels.close();
  await events.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`api: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
