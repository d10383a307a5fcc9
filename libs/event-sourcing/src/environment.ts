import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_UPCASTERS } from '@medlineage/domain';
import { EventCodec, loadSchemaCatalogue } from '@medlineage/event-codec';
import type { EventStore } from '@medlineage/event-store';
import { EmbeddedEventStore } from '@medlineage/event-store-embedded';
import { EsdbEventStore } from '@medlineage/event-store-esdb';

/** The product codec: the schemas/avro catalogue with the domain's upcasters. */
export function productCodec(): EventCodec {
  return new EventCodec(loadSchemaCatalogue(), EVENT_UPCASTERS);
}

/** `MEDLINEAGE_DATA_DIR`, default `.medlineage/data` under the working directory; created if missing. */
export function dataDirFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  const dataDir = env['MEDLINEAGE_DATA_DIR'] ?? join(process.cwd(), '.medlineage', 'data');
  mkdirSync(dataDir, { recursive: true });
  return dataDir;
}

/** EventStoreDB/KurrentDB when `EVENTSTORE_CONNECTION_STRING` is set, else the embedded store in `dataDir`. */
export function eventStoreFromEnvironment(dataDir: string, env: NodeJS.ProcessEnv = process.env): EventStore {
  const connection = env['EVENTSTORE_CONNECTION_STRING'];
  return connection
    ? EsdbEventStore.connect(connection)
    : new EmbeddedEventStore({ path: join(dataDir, 'events.db') });
}
