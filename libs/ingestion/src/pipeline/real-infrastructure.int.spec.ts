import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pino from 'pino';
import { syntheticStudyFiles } from '@medlineage/dicom/synthetic';
import { collect } from '@medlineage/event-store/testing';
import { EmbeddedEventStore } from '@medlineage/event-store-embedded';
import { describeWithServices, uniqueName, waitFor } from '@medlineage/testing';
import { deadLetterTopic } from '../dead-letters';
import type { IngestOutcome } from '../ingest-service';
import { KafkaTransport } from '../transport/kafka-transport';
import { pipelineFromEnvironment } from './from-environment';
import type { IngestPipeline } from './pipeline';

const logger = pino({ level: 'silent' });
const repoRoot = join(__dirname, '../../../..');

/**
 * gateway → Kafka → ingest → event store against the real broker and MinIO: the guarantees that
 * only show with real infrastructure (a worker killed with SIGKILL mid-batch, MinIO going away,
 * a poison record on a real topic).
 */
describeWithServices('ingest on real Kafka and MinIO', ['kafka', 'minio'], (endpoints) => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const open: IngestPipeline[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medlineage-real-'));
    const { kafka, minio } = endpoints();
    env = {
      ...process.env,
      KAFKA_BROKERS: kafka.brokers.join(','),
      MINIO_ENDPOINT: minio.url,
      MINIO_ACCESS_KEY: minio.accessKey,
      MINIO_SECRET_KEY: minio.secretKey,
      MINIO_BUCKET_PREFIX: uniqueName('ingest'),
      MEDLINEAGE_DATA_DIR: join(dir, 'data'),
      MEDLINEAGE_INGEST_TOPIC: uniqueName('ingest', { separator: '-' }),
      MEDLINEAGE_INGEST_GROUP: uniqueName('group', { separator: '-' }),
      LOG_LEVEL: 'warn',
    };
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((p) => p.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const pipeline = (overrides: NodeJS.ProcessEnv = {}) => {
    const p = pipelineFromEnvironment('test', logger, { ...env, ...overrides });
    open.push(p);
    return p;
  };
  const dicomFiles = (count: number, seed: string) => {
    const files = [...syntheticStudyFiles({ seed, modality: 'CT', instances: count, rows: 32, cols: 32 })];
    return files.map((f) => {
      const path = join(dir, f.name);
      writeFileSync(path, f.bytes);
      return path;
    });
  };
  const eventsIn = async () => {
    const store = new EmbeddedEventStore({ path: join(dir, 'data', 'events.db') });
    try {
      return await collect(store.readAll());
    } finally {
      await store.close();
    }
  };
  const count = async (type: string) => (await eventsIn()).filter((e) => e.type === type).length;

  it('ingests through Kafka and MinIO; the same file pushed twice stays one object', async () => {
    const p = pipeline();
    await p.ensureTopics();
    const outcomes: IngestOutcome[] = [];
    await p.startIngest((o) => outcomes.push(o));
    const paths = dicomFiles(5, 'real-e2e');
    const gateway = await p.gateway({ gatewayId: 'gw-real', site: 'site-demo' });
    expect((await gateway.pushAll(paths)).sent).toBe(5);
    expect((await gateway.pushAll([paths[0] ?? ''])).sent).toBe(1);
    await waitFor(() => outcomes.length === 6, { timeoutMs: 60_000, description: 'six outcomes' });
    expect(outcomes.filter((o) => o.kind === 'ingested')).toHaveLength(6);
    expect(await count('ObjectIngested')).toBe(5);
    expect(await count('ObjectClassified')).toBe(5);
    expect(await collect(p.parts.objects.list('QUARANTINE'))).toEqual([]);
    expect(await collect(p.parts.objects.list('HOT'))).toHaveLength(5);
  });

  it('the gateway CLI pushes a directory and reports a summary; the ingest service records it', async () => {
    const p = pipeline();
    await p.ensureTopics();
    const outcomes: IngestOutcome[] = [];
    await p.startIngest((o) => outcomes.push(o));
    const inbox = join(dir, 'inbox');
    const paths = dicomFiles(4, 'real-cli');
    mkdirSync(inbox);
    for (const path of paths) renameSync(path, join(inbox, basename(path)));
    const { code, stdout } = await run(['apps/gateway/src/main.ts', 'push', inbox], env);
    expect(code).toBe(0);
    expect(stdout).toMatch(/files: 4, sent: 4, failed: 0/);
    expect(stdout).toMatch(/files\/s/);
    await waitFor(() => outcomes.length === 4, { timeoutMs: 60_000, description: 'four outcomes' });
    expect(outcomes.every((o) => o.kind === 'ingested')).toBe(true);
  });

  it('a worker killed with SIGKILL mid-batch and restarted loses nothing and doubles nothing', async () => {
    const p = pipeline();
    await p.ensureTopics();
    const paths = dicomFiles(150, 'real-kill');
    const gateway = await p.gateway({ gatewayId: 'gw-real', site: 'site-demo' });
    expect((await gateway.pushAll(paths)).sent).toBe(150);

    const first = startWorker(env);
    await waitFor(async () => (await count('ObjectIngested')) >= 30, {
      timeoutMs: 90_000,
      description: '30 ingested',
    });
    first.kill('SIGKILL');
    await exited(first);
    const atKill = await count('ObjectIngested');
    expect(atKill).toBeLessThan(150); // really killed mid-way

    const second = startWorker(env);
    try {
      await waitFor(async () => (await count('ObjectClassified')) === 150, {
        timeoutMs: 120_000,
        intervalMs: 250,
        description: 'all 150 classified',
      });
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }
    const events = await eventsIn();
    expect(events.filter((e) => e.type === 'ObjectIngested')).toHaveLength(150);
    expect(events.filter((e) => e.type === 'ObjectClassified')).toHaveLength(150);
    expect(events.filter((e) => e.type === 'ObjectRejected')).toHaveLength(0);
    expect(new Set(events.map((e) => `${e.streamName}/${e.id}`)).size).toBe(events.length);
    const perStream = new Map<string, bigint[]>();
    for (const e of events) perStream.set(e.streamName, [...(perStream.get(e.streamName) ?? []), e.revision]);
    for (const revisions of perStream.values()) expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
  });

  it('dead-letters a poison record on the real topic and keeps consuming', async () => {
    const p = pipeline();
    await p.ensureTopics();
    const outcomes: IngestOutcome[] = [];
    await p.startIngest((o) => outcomes.push(o));
    const transport = new KafkaTransport({ brokers: endpoints().kafka.brokers, clientId: 'poison', logger });
    const producer = await transport.producer();
    await producer.send(p.topic, [
      { key: 'poison', value: Buffer.from([0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9]) },
    ]);
    await producer.close();
    const gateway = await p.gateway({ gatewayId: 'gw-real', site: 'site-demo' });
    await gateway.pushAll(dicomFiles(1, 'after-poison'));
    await waitFor(() => outcomes.length === 2, { timeoutMs: 60_000, description: 'two outcomes' });
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['ingested', 'rejected']);

    // The poison record is on the dead-letter topic, bytes untouched, reason in its header.
    const dlq: { value: Buffer | null; reason: string }[] = [];
    const consumer = transport.consumer();
    await consumer.start({
      groupId: uniqueName('dlq', { separator: '-' }),
      topics: [deadLetterTopic(p.topic)],
      handle: (m) => {
        const header = m.headers['medlineage-dead-letter'] ?? '';
        const record = p.codec.decode<{ reasonCode: string }>(
          Buffer.from(header, 'base64'),
          'DeadLetter',
        ).value;
        dlq.push({ value: m.value, reason: record.reasonCode });
        return Promise.resolve();
      },
    });
    await waitFor(() => dlq.length === 1, { timeoutMs: 60_000, description: 'dead letter' });
    await consumer.stop();
    await transport.close();
    expect(dlq[0]?.reason).toBe('UNKNOWN_SCHEMA');
    expect(dlq[0]?.value).toEqual(Buffer.from([0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });

  it('rides out MinIO being unreachable: retries, never dead-letters, ingests everything', async () => {
    const gatewayPipeline = pipeline();
    await gatewayPipeline.ensureTopics();
    const gateway = await gatewayPipeline.gateway({ gatewayId: 'gw-real', site: 'site-demo' });
    expect((await gateway.pushAll(dicomFiles(80, 'real-outage'))).sent).toBe(80);

    // The worker reaches MinIO through a proxy we can cut.
    const minio = new URL(endpoints().minio.url);
    const proxy = new CuttableProxy(minio.hostname, Number(minio.port));
    const port = await proxy.listen(0);
    const worker = pipeline({ MINIO_ENDPOINT: `http://127.0.0.1:${port}` });
    const outcomes: IngestOutcome[] = [];
    await worker.startIngest((o) => outcomes.push(o));
    await waitFor(() => outcomes.length >= 5, { timeoutMs: 60_000, description: 'five outcomes' });
    proxy.cut();
    const duringOutage = outcomes.length;
    await waitFor(() => proxy.refused >= 3, { timeoutMs: 30_000, description: 'requests refused while cut' });
    proxy.restore();
    await waitFor(() => outcomes.length === 80, { timeoutMs: 120_000, description: 'all 80 outcomes' });
    await proxy.close();
    expect(duringOutage).toBeLessThan(80);
    expect(outcomes.every((o) => o.kind === 'ingested')).toBe(true);
    expect(await count('ObjectIngested')).toBe(80);
    expect(await count('ObjectRejected')).toBe(0);
  });

  function startWorker(workerEnv: NodeJS.ProcessEnv): ChildProcess {
    return spawn(process.execPath, ['-r', '@swc-node/register', join(repoRoot, 'apps/ingest/src/main.ts')], {
      cwd: repoRoot,
      env: workerEnv,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
});

function run(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', ...args], { cwd: repoRoot, env });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout }));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * A TCP proxy that can be cut and restored. While cut it keeps listening but resets every
 * connection as it arrives and counts it: `refused` is the number of times the worker really
 * tried to reach MinIO during the outage.
 */
class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private isCut = false;
  refused = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  listen(port: number): Promise<number> {
    const server = createServer((client) => {
      if (this.isCut) {
        this.refused += 1;
        client.on('error', () => undefined);
        client.resetAndDestroy();
        return;
      }
      const upstream = connect(this.port, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    return new Promise((resolve) =>
      server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
  }

  /** Resets open connections; until {@link restore}, new connections are reset on arrival (and counted). */
  cut(): void {
    this.isCut = true;
    for (const s of this.sockets) s.destroy();
  }

  /** Forwards new connections again. */
  restore(): void {
    this.isCut = false;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
