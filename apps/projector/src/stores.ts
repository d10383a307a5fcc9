import { dataDirFromEnvironment, eventStoreFromEnvironment, productCodec } from '@medlineage/event-sourcing';
import type { EventCodec } from '@medlineage/event-codec';
import type { EventStore } from '@medlineage/event-store';
import { ReadModelDatabase, readModelUrlFromEnvironment } from '@medlineage/read-models';

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
  const dataDir = dataDirFromEnvironment(env);
  return {
    store: eventStoreFromEnvironment(dataDir, env),
    codec: productCodec(),
    readModels: ReadModelDatabase.open({ url: readModelUrlFromEnvironment(dataDir, env) }),
  };
}
