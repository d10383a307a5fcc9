import { join } from 'node:path';
import { EVENT_UPCASTERS } from '@medlineage/domain';
import { EventCodec, loadSchemaCatalogue } from '@medlineage/event-codec';
import type { EventStore } from '@medlineage/event-store';
import { EmbeddedEventStore } from '@medlineage/event-store-embedded';
import { EsdbEventStore } from '@medlineage/event-store-esdb';
import { runHistoryCli } from '@medlineage/history';

/**
 * `history <dataset|object|study|subject id> [--kind …] [--as-of ISO-8601]`: the ordered timeline of an
 * entity and everything linked to it, read straight from the event store (EVENTSTORE_CONNECTION_STRING,
 * else the embedded store in MEDLINEAGE_DATA_DIR, default `.medlineage/data`).
 */
async function main(): Promise<number> {
  const connection = process.env['EVENTSTORE_CONNECTION_STRING'];
  const dataDir = process.env['MEDLINEAGE_DATA_DIR'] ?? join(process.cwd(), '.medlineage', 'data');
  const store: EventStore = connection
    ? EsdbEventStore.connect(connection)
    : new EmbeddedEventStore({ path: join(dataDir, 'events.db') });
  try {
    const codec = new EventCodec(loadSchemaCatalogue(), EVENT_UPCASTERS);
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
