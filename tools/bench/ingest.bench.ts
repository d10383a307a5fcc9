import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import dcmjs from 'dcmjs';
import { syntheticStudyFiles } from '@medlineage/dicom/synthetic';
import { EmbeddedEventStore } from '@medlineage/event-store-embedded';
import { createLogger, pipelineFromEnvironment } from '@medlineage/ingestion';
import { readInfraEnv } from '@medlineage/testing';
import { numberArg, result, round, type Bench } from './bench-result';
import { cpuSeconds } from './bench-support';

const repoRoot = join(__dirname, '../..');

/**
 * DICOM files end to end: gateway (upload to quarantine + Avro request) → Kafka → ingest worker
 * process(es) (fetch, verify, sniff, guarded parse, seal identity, classify, promote, append) →
 * event store, until every file's ObjectClassified is stored. Baseline in the same run: one
 * process reading, SHA-256 hashing and dcmjs-parsing the same files (the floor of any ingest).
 */
export const ingestBench: Bench = {
  name: 'ingest',
  description: 'DICOM files gateway → Kafka → ingest → event store vs read + hash + dcmjs parse',
  async run(args, log) {
    const files = numberArg(args, 'files', 2000);
    const workers = numberArg(args, 'workers', 1);
    const useMinio = args.includes('--minio');
    const env = infrastructure(useMinio);
    const dir = mkdtempSync(join(tmpdir(), 'medlineage-bench-ingest-'));
    const children: ChildProcess[] = [];
    try {
      const paths = generate(join(dir, 'inbox'), files);
      const sizeMb = paths.bytes / 2 ** 20;
      log(
        `workload: ${files} CT files, ${round(paths.bytes / files / 1024, 0)} KiB each (${round(sizeMb, 0)} MiB), ${workers} worker process(es), objects on ${useMinio ? 'MinIO' : 'the filesystem'}`,
      );

      const floor = floorRate(paths.list);
      log(`floor: read + sha256 + dcmjs parse, one process: ${round(floor, 1)} files/s`);
      const durable = durableFloorRate(paths.list.slice(0, 300), join(dir, 'durable'));
      log(
        `context: the same plus ONE durable copy of each file (write + fsync), one process: ${round(durable, 1)} files/s`,
      );

      const runEnv: NodeJS.ProcessEnv = {
        ...process.env,
        ...env,
        MEDLINEAGE_DATA_DIR: join(dir, 'data'),
        MEDLINEAGE_INGEST_TOPIC: `bench-ingest-${Date.now()}`,
        MEDLINEAGE_INGEST_GROUP: `bench-group-${Date.now()}`,
        MINIO_BUCKET_PREFIX: `bench-${Date.now()}`,
        LOG_LEVEL: 'info',
      };
      const pipeline = pipelineFromEnvironment('bench-gateway', createLogger('bench', 'error'), runEnv);
      await pipeline.ensureTopics();
      for (let i = 0; i < workers; i++) children.push(await startWorker(runEnv));
      const gateway = await pipeline.gateway({ gatewayId: 'gw-bench', site: 'site-demo', concurrency: 4 });

      const t0 = performance.now();
      const pushing = gateway.pushAll(paths.list);
      const events = new EmbeddedEventStore({ path: join(dir, 'data', 'events.db'), pollIntervalMs: 50 });
      try {
        await waitUntilRecorded(events, files, pushing, t0, log);
      } catch (error: unknown) {
        await events.close().catch(() => undefined);
        await pipeline.close().catch(() => undefined);
        throw error;
      }
      const seconds = (performance.now() - t0) / 1000;
      const summary = await pushing;
      await events.close();
      const rate = files / seconds;
      const peaks = [peakRssMb(process.pid), ...children.map((c) => peakRssMb(c.pid ?? 0))];
      const cpu = children.map((c) => round(cpuSeconds(c.pid ?? 0) / seconds, 2));
      log(
        `cpu busy (fraction of one core while running): worker(s) ${cpu.join(', ')}; gateway+bench ${round(process.cpuUsage().user / 1e6 / (seconds + 5), 2)}`,
      );
      log(
        `end to end: ${round(rate, 1)} files/s, ${round(sizeMb / seconds, 1)} MiB/s (${round(seconds, 1)} s; gateway ${summary.sent} sent, ${summary.failed.length} failed)`,
      );
      log(`peak RSS: gateway ${peaks[0]} MiB, worker(s) ${peaks.slice(1).join(', ')} MiB`);
      log(
        JSON.stringify({
          bench: 'ingest',
          metric: 'peak_rss_mib',
          gateway: peaks[0],
          workers: peaks.slice(1),
          unit: 'MiB',
        }),
      );
      await pipeline.close();
      return result({
        bench: 'ingest',
        metric: 'end_to_end_files_per_s',
        value: round(rate, 1),
        baseline: round(floor, 1),
        unit: 'files/s',
      });
    } finally {
      for (const c of children) c.kill('SIGTERM');
      await Promise.all(
        children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
      );
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** The whole run gives up after this long... */
const RECORD_DEADLINE_MS = 10 * 60_000;
/** ...or once the gateway has stopped pushing and no event has been recorded for this long. */
const STALL_MS = 60_000;

/**
 * Waits until every file is recorded: each ends as exactly two events (ObjectIngested,
 * ObjectClassified). Fails with the progress so far instead of waiting forever when the workers
 * stall (crashed, lost their broker) or the run is far slower than any sane one.
 */
async function waitUntilRecorded(
  events: EmbeddedEventStore,
  files: number,
  pushing: Promise<unknown>,
  t0: number,
  log: (line: string) => void,
): Promise<void> {
  let pushedAt: number | undefined;
  const settled = (): void => {
    pushedAt = performance.now();
  };
  pushing.then(settled, settled);
  let lastLog = t0;
  let lastHead = -1;
  let lastProgress = t0;
  for (;;) {
    const head = Number((await events.headPosition())?.commit ?? 0n);
    if (head >= files * 2) return;
    const now = performance.now();
    if (head > lastHead) {
      lastHead = head;
      lastProgress = now;
    }
    const recorded = `${Math.floor(head / 2)}/${files} files recorded`;
    if (now - t0 > RECORD_DEADLINE_MS) {
      throw new Error(`ingest bench: gave up after ${RECORD_DEADLINE_MS / 60_000} min with ${recorded}`);
    }
    if (pushedAt !== undefined && now - Math.max(lastProgress, pushedAt) > STALL_MS) {
      throw new Error(
        `ingest bench: no event recorded for ${STALL_MS / 1000} s after the gateway stopped pushing ` +
          `(${recorded}); did the ingest worker(s) stop or lose the broker?`,
      );
    }
    if (now - lastLog > 5000) {
      log(`  ${recorded}`);
      lastLog = now;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function infrastructure(useMinio: boolean): Record<string, string> {
  const file = readInfraEnv();
  const vars: Record<string, string | undefined> = {
    ...(file.found ? file.vars : {}),
    ...process.env,
  };
  const brokers = vars['KAFKA_BROKERS'];
  if (!brokers)
    throw new Error('the ingest benchmark needs Kafka: run `npm run infra:up` (or set KAFKA_BROKERS)');
  const out: Record<string, string> = { KAFKA_BROKERS: brokers };
  if (useMinio) {
    for (const k of ['MINIO_ENDPOINT', 'MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY']) {
      const v = vars[k];
      if (!v) throw new Error(`--minio needs ${k}: run \`npm run infra:up\``);
      out[k] = v;
    }
  } else {
    out['MINIO_ENDPOINT'] = '';
  }
  return out;
}

function generate(inbox: string, count: number): { list: string[]; bytes: number } {
  mkdirSync(inbox, { recursive: true });
  const list: string[] = [];
  let bytes = 0;
  const perStudy = 100;
  for (let s = 0; list.length < count; s++) {
    const instances = Math.min(perStudy, count - list.length);
    for (const f of syntheticStudyFiles({ seed: `bench-${s}`, modality: 'CT', instances })) {
      const path = join(inbox, `s${s}-${f.name}`);
      writeFileSync(path, f.bytes);
      list.push(path);
      bytes += f.bytes.length;
    }
  }
  return { list, bytes };
}

function floorRate(paths: readonly string[]): number {
  const t = performance.now();
  for (const p of paths) {
    const bytes = readFileSync(p);
    createHash('sha256').update(bytes).digest();
    dcmjs.data.DicomMessage.readFile(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
  }
  return paths.length / ((performance.now() - t) / 1000);
}

/** The floor plus what any claim-check pipeline must do at least once: write the bytes durably. */
function durableFloorRate(paths: readonly string[], dir: string): number {
  mkdirSync(dir, { recursive: true });
  const t = performance.now();
  for (const [i, p] of paths.entries()) {
    const bytes = readFileSync(p);
    createHash('sha256').update(bytes).digest();
    const fd = openSync(join(dir, String(i)), 'w');
    writeSync(fd, bytes);
    fsyncSync(fd);
    closeSync(fd);
    dcmjs.data.DicomMessage.readFile(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
  }
  return paths.length / ((performance.now() - t) / 1000);
}

async function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(repoRoot, 'apps/ingest/src/main.ts')],
    {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const lines = createInterface({ input: child.stderr ?? process.stdin });
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.includes('ingest worker running')) resolve();
      else if (line.includes('"level":50') || line.includes('"level":60')) process.stderr.write(`${line}\n`);
    });
    child.once('exit', (code) => reject(new Error(`ingest worker exited early (${code})`)));
  });
  return child;
}

/** Peak resident set (VmHWM) of a live process, in MiB. */
function peakRssMb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}
