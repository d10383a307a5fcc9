import {
  startEventStoreContainer,
  startKafkaContainer,
  startMinioContainer,
  startPostgresContainer,
  testcontainersLoadError,
  type StartedService,
} from './containers';
import { readInfraEnv } from './infra-env';
import { dockerEngine, probe, type ProbeTarget } from './probe';

/**
 * Endpoints of the real infrastructure that integration suites run against.
 *
 * Each service is looked up in this order:
 *   1. environment variables (KAFKA_BROKERS; MINIO_ENDPOINT + MINIO_ACCESS_KEY + MINIO_SECRET_KEY;
 *      DATABASE_URL; EVENTSTORE_CONNECTION_STRING);
 *   2. $MEDLINEAGE_CACHE/infra.env, written by `npm run infra:up`;
 *   3. a throw-away container (testcontainers), only where a Docker engine answers;
 *   4. otherwise unavailable.
 * An endpoint from 1 or 2 must accept connections, or it counts as unavailable, so a stale infra.env
 * says so instead of producing connection timeouts deep inside a test.
 *
 * Unavailable Kafka, MinIO or PostgreSQL fails the suite under CI=true (CI must never go green by
 * testing nothing); elsewhere the suite is reported as skipped with one line on stderr saying why.
 * EventStoreDB/KurrentDB cannot run natively on our machines, so it is required only with
 * REQUIRE_EVENTSTORE=1.
 */

export type ServiceKey = 'kafka' | 'minio' | 'postgres' | 'eventstore';
export type EndpointSource = 'environment' | 'infra.env' | 'testcontainers';

export interface KafkaEndpoint {
  /** `host:port` bootstrap addresses, as kafkajs takes them. */
  readonly brokers: readonly string[];
  readonly source: EndpointSource;
}

/** Fields named as the `minio` client's options, so they can be passed straight to `new Client(...)`. */
export interface MinioEndpoint {
  /** Base URL, e.g. `http://127.0.0.1:9000`. */
  readonly url: string;
  readonly endPoint: string;
  readonly port: number;
  readonly useSSL: boolean;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly source: EndpointSource;
}

export interface PostgresEndpoint {
  /** `postgres://user:password@host:port/database` */
  readonly connectionString: string;
  readonly source: EndpointSource;
}

export interface EventStoreEndpoint {
  /** e.g. `esdb://127.0.0.1:2113?tls=false` */
  readonly connectionString: string;
  readonly source: EndpointSource;
}

export interface Endpoints {
  kafka: KafkaEndpoint;
  minio: MinioEndpoint;
  postgres: PostgresEndpoint;
  eventstore: EventStoreEndpoint;
}

type Parsed<E> =
  { readonly ok: true; readonly endpoint: E } | { readonly ok: false; readonly problem: string };

interface ServiceSpec<E> {
  readonly title: string;
  /** All must be set together; the first is the one named in messages. */
  readonly variables: readonly [string, ...string[]];
  parse(vars: Readonly<Record<string, string>>, source: EndpointSource): Parsed<E>;
  /** Addresses to try; any one answering counts as reachable. Empty: cannot check, assume reachable. */
  targets(endpoint: E): ProbeTarget[];
  /** Whether a missing service fails the suite (true) or skips it (false)... */
  required(): boolean;
  /** ...and the setting that makes it required, for the failure message. */
  readonly requiredWhen: string;
  readonly howToProvide: string;
  startContainer(): Promise<StartedService<E>>;
}

/** Start-up budget for suites that launch containers: image pulls on a cold machine are slow. */
const CONTAINER_HOOK_TIMEOUT_MS = 300_000;

function isCi(): boolean {
  const ci = process.env['CI']?.toLowerCase();
  return ci === 'true' || ci === '1';
}

function eventStoreRequired(): boolean {
  return process.env['REQUIRE_EVENTSTORE'] === '1';
}

function parseHostPort(text: string, defaultPort: number): { host: string; port: number } | undefined {
  const match = /^(\[[^\]]+\]|[^:/?#[\]]+)(?::(\d{1,5}))?$/.exec(text.trim());
  if (!match?.[1]) {
    return undefined;
  }
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    return undefined;
  }
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function urlHost(url: URL): string {
  // URL keeps IPv6 literals in brackets; sockets and clients want them bare.
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

const kafka: ServiceSpec<KafkaEndpoint> = {
  title: 'Kafka',
  variables: ['KAFKA_BROKERS'],
  parse(vars, source) {
    const brokers = (vars['KAFKA_BROKERS'] ?? '')
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b !== '');
    if (brokers.length === 0 || brokers.some((b) => parseHostPort(b, 9092) === undefined)) {
      return { ok: false, problem: `KAFKA_BROKERS=${vars['KAFKA_BROKERS'] ?? ''} is not a host:port list` };
    }
    return { ok: true, endpoint: { brokers, source } };
  },
  targets: (endpoint) => endpoint.brokers.flatMap((b) => parseHostPort(b, 9092) ?? []),
  required: isCi,
  requiredWhen: 'CI=true',
  howToProvide:
    'run `npm run infra:up` (writes infra.env), set KAFKA_BROKERS=host:port, or run where Docker exists',
  async startContainer() {
    const started = await startKafkaContainer();
    return { ...started, endpoint: { ...started.endpoint, source: 'testcontainers' } };
  },
};

function minioEndpoint(
  url: URL,
  accessKey: string,
  secretKey: string,
  source: EndpointSource,
): MinioEndpoint {
  const useSSL = url.protocol === 'https:';
  return {
    url: url.origin,
    endPoint: urlHost(url),
    port: url.port === '' ? (useSSL ? 443 : 80) : Number(url.port),
    useSSL,
    accessKey,
    secretKey,
    source,
  };
}

const minio: ServiceSpec<MinioEndpoint> = {
  title: 'MinIO',
  variables: ['MINIO_ENDPOINT', 'MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY'],
  parse(vars, source) {
    const url = parseUrl(vars['MINIO_ENDPOINT'] ?? '');
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      return { ok: false, problem: `MINIO_ENDPOINT=${vars['MINIO_ENDPOINT'] ?? ''} is not an http(s) URL` };
    }
    return {
      ok: true,
      endpoint: minioEndpoint(url, vars['MINIO_ACCESS_KEY'] ?? '', vars['MINIO_SECRET_KEY'] ?? '', source),
    };
  },
  targets: (endpoint) => [{ host: endpoint.endPoint, port: endpoint.port }],
  required: isCi,
  requiredWhen: 'CI=true',
  howToProvide:
    'run `npm run infra:up` (writes infra.env), set MINIO_ENDPOINT, MINIO_ACCESS_KEY and MINIO_SECRET_KEY, ' +
    'or run where Docker exists',
  async startContainer() {
    const started = await startMinioContainer();
    const { endPoint, port, accessKey, secretKey } = started.endpoint;
    const url = new URL(`http://${endPoint.includes(':') ? `[${endPoint}]` : endPoint}:${port}`);
    return { ...started, endpoint: minioEndpoint(url, accessKey, secretKey, 'testcontainers') };
  },
};

const postgres: ServiceSpec<PostgresEndpoint> = {
  title: 'PostgreSQL',
  variables: ['DATABASE_URL'],
  parse(vars, source) {
    const connectionString = vars['DATABASE_URL'] ?? '';
    const url = parseUrl(connectionString);
    if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
      return { ok: false, problem: 'DATABASE_URL is not a postgres:// URL' };
    }
    return { ok: true, endpoint: { connectionString, source } };
  },
  targets(endpoint) {
    const url = new URL(endpoint.connectionString);
    // No host in the URL means a unix socket (?host=/path): nothing to probe over TCP.
    return url.hostname === ''
      ? []
      : [{ host: urlHost(url), port: url.port === '' ? 5432 : Number(url.port) }];
  },
  required: isCi,
  requiredWhen: 'CI=true',
  howToProvide:
    'run `npm run infra:up` (writes infra.env), set DATABASE_URL=postgres://user:password@host:port/db, ' +
    'or run where Docker exists',
  async startContainer() {
    const started = await startPostgresContainer();
    return { ...started, endpoint: { ...started.endpoint, source: 'testcontainers' } };
  },
};

const eventstore: ServiceSpec<EventStoreEndpoint> = {
  title: 'EventStoreDB/KurrentDB',
  variables: ['EVENTSTORE_CONNECTION_STRING'],
  parse(vars, source) {
    const connectionString = vars['EVENTSTORE_CONNECTION_STRING'] ?? '';
    if (!/^(esdb|kurrentdb|kurrent)(\+discover)?:\/\/[^/?]+/.test(connectionString)) {
      return { ok: false, problem: 'EVENTSTORE_CONNECTION_STRING is not an esdb:// or kurrentdb:// URL' };
    }
    return { ok: true, endpoint: { connectionString, source } };
  },
  targets(endpoint) {
    // esdb://[user:pass@]host1:port1,host2:port2?options
    const hosts = /^[a-z+]+:\/\/(?:[^@/?]*@)?([^/?]+)/.exec(endpoint.connectionString)?.[1] ?? '';
    return hosts.split(',').flatMap((h) => parseHostPort(h, 2113) ?? []);
  },
  required: eventStoreRequired,
  requiredWhen: 'REQUIRE_EVENTSTORE=1',
  howToProvide:
    'set EVENTSTORE_CONNECTION_STRING (e.g. esdb://127.0.0.1:2113?tls=false) or run where Docker exists',
  async startContainer() {
    const started = await startEventStoreContainer();
    return { ...started, endpoint: { ...started.endpoint, source: 'testcontainers' } };
  },
};

const SPECS: { readonly [K in ServiceKey]: ServiceSpec<Endpoints[K]> } = {
  kafka,
  minio,
  postgres,
  eventstore,
};

type Plan<E> =
  | { readonly kind: 'ready'; readonly endpoint: E }
  | { readonly kind: 'container'; readonly start: () => Promise<StartedService<E>> }
  | { readonly kind: 'unavailable'; readonly reason: string };

type Lookup<E> =
  | { readonly kind: 'absent'; readonly why: string }
  | { readonly kind: 'found'; readonly plan: Plan<E> }
  | { readonly kind: 'unreachable'; readonly why: string };

/** Looks for a service's variables in one place (the environment or infra.env). */
function lookup<E>(
  spec: ServiceSpec<E>,
  vars: Readonly<Record<string, string | undefined>>,
  source: EndpointSource,
  where: string,
): Lookup<E> {
  const [main] = spec.variables;
  const present = spec.variables.filter((v) => (vars[v] ?? '') !== '');
  if (present.length === 0) {
    return { kind: 'absent', why: `${spec.variables.join(', ')} not set in ${where}` };
  }
  const missing = spec.variables.filter((v) => !present.includes(v));
  if (missing.length > 0) {
    const problem = `${present.join(', ')} set in ${where} but ${missing.join(', ')} not`;
    return { kind: 'found', plan: { kind: 'unavailable', reason: problem } };
  }
  const values = Object.fromEntries(spec.variables.map((v) => [v, vars[v] ?? '']));
  const parsed = spec.parse(values, source);
  if (!parsed.ok) {
    return { kind: 'found', plan: { kind: 'unavailable', reason: `${parsed.problem} (${where})` } };
  }
  const targets = spec.targets(parsed.endpoint);
  if (targets.length > 0 && !probe(targets).some(Boolean)) {
    return {
      kind: 'unreachable',
      why: `${main}=${redact(values[main] ?? '')} from ${where}, but nothing accepts connections there`,
    };
  }
  return { kind: 'found', plan: { kind: 'ready', endpoint: parsed.endpoint } };
}

/** Keeps passwords in connection strings out of test output. */
function redact(value: string): string {
  return value.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

function planFor<K extends ServiceKey>(key: K): Plan<Endpoints[K]> {
  const spec: ServiceSpec<Endpoints[K]> = SPECS[key];
  const reasons: string[] = [];

  const fromEnv = lookup(spec, process.env, 'environment', 'the environment');
  if (fromEnv.kind === 'found') {
    return fromEnv.plan;
  }
  if (fromEnv.kind === 'unreachable') {
    // An explicit setting is what the caller wants; do not quietly replace it with something else.
    return { kind: 'unavailable', reason: fromEnv.why };
  }
  reasons.push(fromEnv.why);

  const file = readInfraEnv();
  if (file.found) {
    const fromFile = lookup(spec, file.vars, 'infra.env', file.path);
    if (fromFile.kind === 'found') {
      return fromFile.plan;
    }
    // Unreachable here usually means infra:up ran once and the services were stopped since.
    reasons.push(fromFile.why);
  } else {
    reasons.push(`${file.path} not found`);
  }

  const docker = dockerEngine();
  const unloadable = docker.reachable ? testcontainersLoadError() : undefined;
  if (docker.reachable && unloadable === undefined) {
    return { kind: 'container', start: () => spec.startContainer() };
  }
  reasons.push(unloadable === undefined ? docker.detail : `${docker.detail}, but ${unloadable}`);
  return { kind: 'unavailable', reason: reasons.join('; ') };
}

function notReady(): never {
  throw new Error(
    'infrastructure endpoints are not ready: read them inside a test or a hook, not while defining the suite',
  );
}

/**
 * Defines a `describe` block whose tests get the endpoints of real services. The callback receives a
 * function returning the endpoints; call it inside tests or hooks (containers, if any, start in a
 * `beforeAll` that runs before the block's own hooks).
 *
 *   describeWithServices('ingest → read model', ['kafka', 'postgres'], (endpoints) => {
 *     it('...', async () => { const { kafka, postgres } = endpoints(); ... });
 *   });
 */
export function describeWithServices<K extends ServiceKey>(
  name: string,
  services: readonly K[],
  body: (endpoints: () => Pick<Endpoints, K>) => void,
): void {
  const keys = [...new Set(services)];
  const plans = keys.map((key) => ({ key, spec: SPECS[key], plan: planFor(key) }));
  const missing = plans.flatMap(({ spec, plan }) =>
    plan.kind === 'unavailable' ? [{ spec, reason: plan.reason }] : [],
  );

  if (missing.length > 0) {
    const titles = missing.map(({ spec }) => spec.title).join(', ');
    const details = missing
      .map(({ spec, reason }) => `${spec.title} unavailable (${reason}). To run it: ${spec.howToProvide}.`)
      .join(' ');
    const required = missing.filter(({ spec }) => spec.required());
    if (required.length > 0) {
      const why = [...new Set(required.map(({ spec }) => spec.requiredWhen))].join(', ');
      describe(name, () => {
        it(`cannot run: ${titles} unavailable`, () => {
          const error = new Error(`"${name}" needs ${titles}, required here (${why}). ${details}`);
          // The message says everything; a code frame of this helper would only bury it.
          error.stack = `Error: ${error.message}`;
          throw error;
        });
      });
      return;
    }
    // Not required here: say so once, visibly (jest does not buffer direct stderr writes), and report
    // the block as skipped rather than passed.
    process.stderr.write(`[medlineage/testing] did not run "${name}": ${details}\n`);
    describe.skip(`${name} [did not run: ${titles} unavailable]`, () => {
      body(notReady);
    });
    return;
  }

  const endpoints = new Map<ServiceKey, Endpoints[ServiceKey]>();
  const stops: (() => Promise<void>)[] = [];
  for (const { key, plan } of plans) {
    if (plan.kind === 'ready') {
      endpoints.set(key, plan.endpoint);
    }
  }
  const containerPlans = plans.flatMap(({ key, spec, plan }) =>
    plan.kind === 'container' ? [{ key, spec, start: plan.start }] : [],
  );

  describe(name, () => {
    if (containerPlans.length > 0) {
      beforeAll(async () => {
        for (const { key, spec, start } of containerPlans) {
          try {
            const started = await start();
            stops.push(() => started.stop());
            endpoints.set(key, started.endpoint);
          } catch (error: unknown) {
            const message = error instanceof Error ? error.message : String(error);
            throw new Error(`starting ${spec.title} with testcontainers failed: ${message}`, {
              cause: error,
            });
          }
        }
      }, CONTAINER_HOOK_TIMEOUT_MS);
      afterAll(async () => {
        await Promise.all(stops.splice(0).map((stop) => stop()));
      }, CONTAINER_HOOK_TIMEOUT_MS);
    }

    body(() => {
      if (keys.some((key) => !endpoints.has(key))) {
        notReady();
      }
      // Every key in `keys` is present (checked above), and each entry was produced by SPECS[key].
      return Object.fromEntries(keys.map((key) => [key, endpoints.get(key)])) as Pick<Endpoints, K>;
    });
  });
}

export function describeWithKafka(name: string, body: (kafka: () => KafkaEndpoint) => void): void {
  describeWithServices(name, ['kafka'], (endpoints) => body(() => endpoints().kafka));
}

export function describeWithMinio(name: string, body: (minio: () => MinioEndpoint) => void): void {
  describeWithServices(name, ['minio'], (endpoints) => body(() => endpoints().minio));
}

export function describeWithPostgres(name: string, body: (postgres: () => PostgresEndpoint) => void): void {
  describeWithServices(name, ['postgres'], (endpoints) => body(() => endpoints().postgres));
}

/** Required only with REQUIRE_EVENTSTORE=1: no EventStoreDB/KurrentDB server can run on our machines. */
export function describeWithEventStore(
  name: string,
  body: (eventstore: () => EventStoreEndpoint) => void,
): void {
  describeWithServices(name, ['eventstore'], (endpoints) => body(() => endpoints().eventstore));
}
