import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ProjectorModule } from './projector.module';
import { storesFromEnvironment } from './stores';

/** The projector service: keeps the read models up to date until SIGTERM/SIGINT. */
async function main(): Promise<void> {
  // Listening before start-up: a signal during it then stops the service cleanly too, instead of
  // killing the process with the stores open.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const { store, codec, readModels } = storesFromEnvironment();
  const app = await NestFactory.createApplicationContext(
    ProjectorModule.forRoot({ store, codec, db: readModels.db }),
  );
  // No enableShutdownHooks(): Nest would re-send the signal after its hooks, killing the process
  // before the stores below are closed. app.close() runs the same hooks.
  await stopped;
  await app.close();
  await readModels.close();
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`projector: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
