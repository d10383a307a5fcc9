import { join } from 'node:path';
import { EVENT_UPCASTERS } from '@medlineage/domain';
import { EventCodec, loadSchemaCatalogue } from '@medlineage/event-codec';
import type { EventStore } from '@medlineage/event-store';
import { EmbeddedEventStore } from '@medlineage/event-store-embedded';
import { EsdbEventStore } from '@medlineage/event-store-esdb';
import { ReadModelDatabase, embeddedReadModelUrl } from '@medlineage/read-models';

/**
 * Stores from the environment: EVENTSTORE_CONNECTION_STRING (else the embedded store in
 * MEDLINEAGE_DATA_DIR, default `.medlineage/data`), DATABASE_URL for PostgreSQL read models (else
 * SQLite beside the embedded events).
 */
export function storesFromEnvironment(env: NodeJS.ProcessEnv = process.env): {
  store: EventStore;
  codec: EventCodec;
  readModels: ReadModelDatabase;
} {
  const dataDir = env['MEDLINEAGE_DATA_DIR'] ?? join(process.cwd(), '.medlineage', 'data');
  const connection = env['EVENTSTORE_CONNECTION_STRING'];
  return {
    store: connection
      ? EsdbEventStore.connect(connection)
      : new EmbeddedEventStore({ path: join(dataDir, 'events.db') }),
    codec: new EventCodec(loadSchemaCatalogue(), EVENT_UPCASTERS),
    readModels: ReadModelDatabase.open({ url: env['DATABASE_URL'] ?? embeddedReadModelUrl(dataDir) }),
  };
}
