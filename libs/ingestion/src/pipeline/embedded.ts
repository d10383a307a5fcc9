import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ResidencyRegion } from '@medlineage/domain';
import { EmbeddedEventStore } from '@medlineage/event-store-embedded';
import { SqliteSubjectKeyRing } from '@medlineage/key-vault';
import { FilesystemObjectStore } from '@medlineage/object-store-fs';
import { InProcessTransport } from '../transport/in-process-transport';
import { IngestPipeline } from './pipeline';
import { loadSecrets } from './secrets';

/**
 * Everything in one directory and one process: in-process transport, filesystem object store,
 * SQLite event store and key ring. What `npm run demo` runs; no servers needed.
 */
export function embeddedPipeline(
  dataDir: string,
  logger: Logger,
  sites: Readonly<Record<string, { readonly residency: ResidencyRegion }>>,
): IngestPipeline {
  mkdirSync(dataDir, { recursive: true });
  const secrets = loadSecrets(join(dataDir, 'secrets.json'));
  return new IngestPipeline({
    transport: new InProcessTransport(),
    objects: new FilesystemObjectStore({ root: join(dataDir, 'objects') }),
    events: new EmbeddedEventStore({ path: join(dataDir, 'events.db') }),
    keys: new SqliteSubjectKeyRing(join(dataDir, 'keys.db'), secrets.keyEncryptionKey),
    secrets,
    logger,
    sites,
  });
}
