import { join } from 'node:path';
import type { Logger } from 'pino';
import { RESIDENCY_REGIONS, type ResidencyRegion } from '@medlineage/domain';
import { dataDirFromEnvironment, eventStoreFromEnvironment } from '@medlineage/event-sourcing';
import { SqliteSubjectKeyRing } from '@medlineage/key-vault';
import type { ObjectStore } from '@medlineage/object-store';
import { FilesystemObjectStore } from '@medlineage/object-store-fs';
import { MinioObjectStore } from '@medlineage/object-store-minio';
import { KafkaTransport } from '../transport/kafka-transport';
import { IngestPipeline } from './pipeline';
import { loadSecrets } from './secrets';

/**
 * A pipeline for separate processes (gateway, ingest workers) from the environment:
 * - `KAFKA_BROKERS` (required): comma-separated host:port;
 * - `MINIO_ENDPOINT`, `MINIO_ACCESS_KEY`, `MINIO_SECRET_KEY`, `MINIO_BUCKET_PREFIX`: MinIO/S3, else
 *   a filesystem object store under the data directory;
 * - `EVENTSTORE_CONNECTION_STRING`: EventStoreDB/KurrentDB, else the embedded SQLite store;
 * - `MEDLINEAGE_DATA_DIR` (default `.medlineage/data`): embedded stores, key ring, generated secrets;
 * - `MEDLINEAGE_SITES`: JSON `{"<site>": "<ResidencyRegion>"}` of enrolled sites;
 * - `MEDLINEAGE_INGEST_TOPIC`, `MEDLINEAGE_INGEST_GROUP`: override the topic and consumer group.
 */
export function pipelineFromEnvironment(
  clientId: string,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): IngestPipeline {
  const brokers = (env['KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0)
    throw new Error('KAFKA_BROKERS is not set (e.g. 127.0.0.1:9092; see npm run infra:up)');
  const dataDir = dataDirFromEnvironment(env);
  const secrets = loadSecrets(join(dataDir, 'secrets.json'), env);
  return new IngestPipeline({
    transport: new KafkaTransport({ brokers, clientId, logger }),
    objects: objectStore(env, dataDir),
    events: eventStoreFromEnvironment(dataDir, env),
    keys: new SqliteSubjectKeyRing(join(dataDir, 'keys.db'), secrets.keyEncryptionKey),
    secrets,
    logger,
    sites: sitesFrom(env['MEDLINEAGE_SITES']),
    ...(env['MEDLINEAGE_INGEST_TOPIC'] ? { topic: env['MEDLINEAGE_INGEST_TOPIC'] } : {}),
    ...(env['MEDLINEAGE_INGEST_GROUP'] ? { groupId: env['MEDLINEAGE_INGEST_GROUP'] } : {}),
  });
}

function objectStore(env: NodeJS.ProcessEnv, dataDir: string): ObjectStore {
  const endpoint = env['MINIO_ENDPOINT'];
  if (!endpoint) return new FilesystemObjectStore({ root: join(dataDir, 'objects') });
  const accessKey = env['MINIO_ACCESS_KEY'];
  const secretKey = env['MINIO_SECRET_KEY'];
  if (!accessKey || !secretKey)
    throw new Error('MINIO_ENDPOINT is set but MINIO_ACCESS_KEY / MINIO_SECRET_KEY are not');
  return new MinioObjectStore({
    endpoint,
    accessKey,
    secretKey,
    bucketPrefix: env['MINIO_BUCKET_PREFIX'] ?? 'medlineage',
  });
}

export const DEFAULT_SITES: Readonly<Record<string, { readonly residency: ResidencyRegion }>> = {
  'site-demo': { residency: 'UK' },
};

export function sitesFrom(
  json: string | undefined,
): Readonly<Record<string, { readonly residency: ResidencyRegion }>> {
  if (!json) return DEFAULT_SITES;
  const raw = JSON.parse(json) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(raw).map(([site, region]) => {
      if (!RESIDENCY_REGIONS.includes(region as ResidencyRegion)) {
        throw new Error(`MEDLINEAGE_SITES: ${site} has unknown residency ${JSON.stringify(region)}`);
      }
      return [site, { residency: region as ResidencyRegion }];
    }),
  );
}
