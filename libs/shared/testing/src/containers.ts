import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type * as Testcontainers from 'testcontainers';

/**
 * Images used when a Docker engine is reachable and no endpoint was given. Pinned so that a test run
 * does not change because an image tag moved; keep them in step with deploy/compose.yaml.
 */
export const IMAGES = {
  kafka: 'apache/kafka:3.9.2',
  minio: 'minio/minio:RELEASE.2025-09-07T16-13-09Z',
  postgres: 'postgres:15.18',
  eventstore: 'docker.kurrent.io/kurrent-latest/kurrentdb:25.1',
} as const;

/** Same development credentials as tools/infra (loopback or a throw-away container only). */
export const DEV_CREDENTIALS = {
  minioAccessKey: 'medlineage',
  minioSecretKey: 'medlineage-secret',
  postgresUser: 'medlineage',
  postgresPassword: 'medlineage-secret',
  postgresDatabase: 'medlineage',
} as const;

/** Image pulls on a cold machine take a while; start-up itself is seconds. */
const STARTUP_TIMEOUT_MS = 180_000;

export interface StartedService<E> {
  readonly endpoint: E;
  stop(): Promise<void>;
}

let loadError: { readonly message: string | undefined } | undefined;

/**
 * Why testcontainers cannot be loaded here, or undefined if it can. Checked (once per test file) only
 * once a Docker engine has answered, so a run without Docker never pays for loading it. It matters
 * because testcontainers 12 depends on undici 8, which needs Node >= 22.19 and fails at load time on
 * Node 20 (zlib.createZstdDecompress is missing).
 */
export function testcontainersLoadError(): string | undefined {
  if (loadError === undefined) {
    try {
      // A plain Node require, outside jest's module registry: only "does it load at all" is asked here.
      createRequire(__filename)('testcontainers');
      loadError = { message: undefined };
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      const hint =
        Number(process.versions.node.split('.')[0]) < 22 ? '; testcontainers 12 needs Node >= 22.19' : '';
      loadError = {
        message: `testcontainers cannot be loaded on Node ${process.version} (${reason}${hint})`,
      };
    }
  }
  return loadError.message;
}

/** testcontainers is loaded only when a container is really started: it is large, and most runs never need it. */
async function testcontainers(): Promise<typeof Testcontainers> {
  return import('testcontainers');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startKafkaContainer(): Promise<StartedService<{ brokers: string[] }>> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await testcontainers();
  // Kafka hands clients the advertised address, so it must be the host-side one; that means a fixed host
  // port chosen before start rather than a random mapping read afterwards.
  const hostPort = await freePort();
  const host = (await getContainerRuntimeClient()).info.containerRuntime.host;
  const container = await new GenericContainer(IMAGES.kafka)
    .withExposedPorts({ container: 9092, host: hostPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${hostPort}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_NUM_PARTITIONS: '3',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'true',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
  return {
    endpoint: { brokers: [`${host}:${hostPort}`] },
    stop: async () => {
      await container.stop();
    },
  };
}

export async function startMinioContainer(): Promise<
  StartedService<{ endPoint: string; port: number; accessKey: string; secretKey: string }>
> {
  const { GenericContainer, Wait } = await testcontainers();
  const container = await new GenericContainer(IMAGES.minio)
    .withCommand(['server', '/data'])
    .withEnvironment({
      MINIO_ROOT_USER: DEV_CREDENTIALS.minioAccessKey,
      MINIO_ROOT_PASSWORD: DEV_CREDENTIALS.minioSecretKey,
    })
    .withExposedPorts(9000)
    .withWaitStrategy(Wait.forHttp('/minio/health/ready', 9000))
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
  return {
    endpoint: {
      endPoint: container.getHost(),
      port: container.getMappedPort(9000),
      accessKey: DEV_CREDENTIALS.minioAccessKey,
      secretKey: DEV_CREDENTIALS.minioSecretKey,
    },
    stop: async () => {
      await container.stop();
    },
  };
}

export async function startPostgresContainer(): Promise<StartedService<{ connectionString: string }>> {
  const { GenericContainer, Wait } = await testcontainers();
  const { postgresUser: user, postgresPassword: password, postgresDatabase: db } = DEV_CREDENTIALS;
  const container = await new GenericContainer(IMAGES.postgres)
    .withEnvironment({
      POSTGRES_USER: user,
      POSTGRES_PASSWORD: password,
      POSTGRES_DB: db,
      // Same as the native cluster: PostgreSQL 15 only checksums pages when initdb is told to.
      POSTGRES_INITDB_ARGS: '--data-checksums',
    })
    .withExposedPorts(5432)
    // The image's entrypoint starts the server twice (init scripts, then for real).
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
  const address = `${container.getHost()}:${container.getMappedPort(5432)}`;
  return {
    endpoint: { connectionString: `postgres://${user}:${password}@${address}/${db}` },
    stop: async () => {
      await container.stop();
    },
  };
}

export async function startEventStoreContainer(): Promise<StartedService<{ connectionString: string }>> {
  const { GenericContainer, Wait } = await testcontainers();
  const container = await new GenericContainer(IMAGES.eventstore)
    .withEnvironment({
      KURRENTDB_CLUSTER_SIZE: '1',
      // Tests only: no TLS, no authentication.
      KURRENTDB_INSECURE: 'true',
      KURRENTDB_RUN_PROJECTIONS: 'All',
      KURRENTDB_START_STANDARD_PROJECTIONS: 'true',
      KURRENTDB_ENABLE_ATOM_PUB_OVER_HTTP: 'true',
    })
    .withExposedPorts(2113)
    .withWaitStrategy(Wait.forHealthCheck())
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
  return {
    endpoint: {
      connectionString: `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`,
    },
    stop: async () => {
      await container.stop();
    },
  };
}
