import { existsSync } from 'node:fs';
import { dataDirFromEnvironment, eventStoreFromEnvironment, productCodec } from '@medlineage/event-sourcing';
import { runHistoryCli } from '@medlineage/history';
import {
  CatalogLinkIndex,
  ReadModelDatabase,
  embeddedReadModelPath,
  embeddedReadModelUrl,
  migrateReadModels,
  readModelUrlFromEnvironment,
} from '@medlineage/read-models';

/**
 * `history <dataset|object|study|subject id> [--kind …] [--as-of ISO-8601]`: the ordered timeline of an
 * entity and everything linked to it, read straight from the event store (EVENTSTORE_CONNECTION_STRING,
 * else the embedded store in MEDLINEAGE_DATA_DIR, default `.medlineage/data`). Links (a study's or a
 * subject's objects, an object's derivatives) come from the catalog read model where there is one
 * (DATABASE_URL, else `read-models.db` beside the events) plus the log past its checkpoint; without
 * one, from a scan of the whole log.
 */
async function main(): Promise<number> {
  const dataDir = dataDirFromEnvironment();
  const store = eventStoreFromEnvironment(dataDir);
  const url = readModelUrlFromEnvironment(dataDir);
  // The embedded read models only once a projector or the API has created them (never an empty one).
  const readModels =
    url === embeddedReadModelUrl(dataDir) && !existsSync(embeddedReadModelPath(dataDir))
      ? null
      : ReadModelDatabase.open({ url });
  try {
    const codec = productCodec();
    if (readModels !== null) await migrateReadModels(readModels.db);
    return await runHistoryCli(process.argv.slice(2), {
      store,
      codec,
      out: process.stdout,
      err: process.stderr,
      ...(readModels === null ? {} : { index: new CatalogLinkIndex(readModels.db, store, codec) }),
    });
  } finally {
    await readModels?.close();
    await store.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`history: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
