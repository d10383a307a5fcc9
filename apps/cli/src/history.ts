import { dataDirFromEnvironment, eventStoreFromEnvironment, productCodec } from '@medlineage/event-sourcing';
import { runHistoryCli } from '@medlineage/history';

/**
 * `history <dataset|object|study|subject id> [--kind …] [--as-of ISO-8601]`: the ordered timeline of an
 * entity and everything linked to it, read straight from the event store (EVENTSTORE_CONNECTION_STRING,
 * else the embedded store in MEDLINEAGE_DATA_DIR, default `.medlineage/data`).
 */
async function main(): Promise<number> {
  const store = eventStoreFromEnvironment(dataDirFromEnvironment());
  try {
    const codec = productCodec();
    return await runHistoryCli(process.argv.slice(2), {
      store,
      codec,
      out: process.stdout,
      err: process.stderr,
    });
  } finally {
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
