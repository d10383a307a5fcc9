import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { numberArg, result, round, type Bench } from './bench-result';
import { buildCatalog, MODALITIES, type CatalogWorkload } from './api-workload';
import { cpuSeconds, median, mulberry32, percentile } from './bench-support';

const repoRoot = join(__dirname, '../..');
const TARGET_P99_MS = 25;

/**
 * Catalog search under load: the real API process (apps/api/src/main.ts: Nest, validation, CQRS
 * query bus, Kysely, generation routing) over a SQLite read-model database whose active catalog
 * generation holds ≥ 1M rows, driven by autocannon (50 connections) with a mix of searches — by
 * subject, by study, imaging class + modality newest first, status queues paged with cursors,
 * research eligibility. Peer in the same run, under the same load: a bare node:http server running
 * the same SQL on the same file through better-sqlite3 (tools/bench/api-peer.ts). Each server runs
 * in its own process, one at a time, with autocannon in this one (2 cores: one each).
 */
export const apiBench: Bench = {
  name: 'api',
  description: 'catalog search p99 under load (autocannon, 50 conn., 1M rows, SQLite) vs bare node:http',
  async run(args, log) {
    const rows = numberArg(args, 'rows', 1_000_000);
    const connections = numberArg(args, 'connections', 50);
    const duration = numberArg(args, 'duration', 15);
    const warmup = numberArg(args, 'warmup', 5);
    const rounds = numberArg(args, 'rounds', 3);
    const dir = mkdtempSync(join(tmpdir(), 'medlineage-bench-api-'));
    const children: ChildProcess[] = [];
    try {
      const dataDir = join(dir, 'data');
      mkdirSync(dataDir);
      const w = await buildCatalog(dataDir, rows);
      const dbPath = join(dataDir, 'read-models.db');
      log(
        `workload: ${w.rows} catalog rows in ${w.table} (active generation ${w.generation}), ${w.subjects.length} subjects, ` +
          `${w.studies.length} studies, ${w.sites.length} sites, ingested 2019–2026; built in ${round(w.seconds)} s, ` +
          `file ${round(statSync(dbPath).size / 2 ** 20)} MiB; empty embedded event store`,
      );

      const api = await startApi(dataDir);
      children.push(api.child);
      const peer = await startPeer(dbPath);
      children.push(peer.child);
      const servers = [
        { name: 'api', label: 'ours (Nest API process)', ...api },
        { name: 'peer', label: 'peer (bare node:http + better-sqlite3)', ...peer },
      ] as const;

      const checked = await sameAnswers(w, api.url, peer.url);
      log(`check: ${checked} searches (every kind, with cursor pages) answered identically by both servers`);

      for (const server of servers) {
        const probe = await probeKinds(w, server.url);
        log(
          `single-request latency, ${server.name} (one at a time, 60 per kind, p50/p99 ms): ` +
            probe.map((p) => `${p.kind} ${round(p.p50, 2)}/${round(p.p99, 2)}`).join(', '),
        );
      }

      const runs: Record<'api' | 'peer', LoadRun[]> = { api: [], peer: [] };
      for (let r = 0; r < rounds; r++) {
        for (const server of servers) {
          await load(w, server.url, connections, warmup, server.child.pid, r * 1000 + 1);
          const run = await load(w, server.url, connections, duration, server.child.pid, r * 1000 + 2);
          runs[server.name].push(run);
          log(
            `round ${r + 1}, ${server.label}: ${round(run.rps, 0)} req/s, latency ms p50 ${round(run.p50, 2)} ` +
              `p97.5 ${round(run.p975, 2)} p99 ${round(run.p99, 2)} max ${round(run.max, 1)}; ` +
              `${run.requests} requests in ${duration} s, ${round(run.bytesPerRequest / 1024)} KiB/response, ` +
              `non-2xx ${run.non2xx}, errors ${run.errors}, timeouts ${run.timeouts}; CPU server ${round(run.serverCpu * 100, 0)}%, autocannon ${round(run.clientCpu * 100, 0)}%`,
          );
        }
      }
      // Each figure is its own median over the rounds.
      const ours = medianOf(runs.api);
      const theirs = medianOf(runs.peer);
      log(
        `summary (median of ${rounds} round(s), ${connections} connections, ${duration} s each after ${warmup} s warm-up): ` +
          `ours ${round(ours.rps, 0)} req/s p99 ${round(ours.p99, 2)} ms; peer ${round(theirs.rps, 0)} req/s p99 ${round(theirs.p99, 2)} ms; ` +
          `target p99 < ${TARGET_P99_MS} ms: ${ours.p99 < TARGET_P99_MS ? 'MET' : 'MISSED'}`,
      );
      const failed = [...runs.api, ...runs.peer].filter((run) => run.non2xx + run.errors + run.timeouts > 0);
      if (failed.length > 0)
        throw new Error(`${failed.length} load run(s) had non-2xx answers, errors or timeouts`);
      log(
        JSON.stringify({
          bench: 'api',
          metric: 'catalog_search_req_per_s',
          value: round(ours.rps, 0),
          baseline: round(theirs.rps, 0),
          unit: 'req/s',
        }),
      );
      return result({
        bench: 'api',
        metric: 'catalog_search_p99_ms',
        value: round(ours.p99, 2),
        baseline: round(theirs.p99, 2),
        unit: 'ms',
      });
    } finally {
      await Promise.all(children.map(stop));
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

// ---------------------------------------------------------------------------------------------
// The request mix

interface Flow {
  readonly kind: string;
  /** Purpose of use sent in X-Purpose-Of-Use. */
  readonly purpose: string;
  /** Query strings: the first page, then (for paged flows) how many further pages follow its cursor. */
  readonly query: string;
  readonly pages: number;
}

type Kind = (r: () => number, w: CatalogWorkload) => Flow;

const pick = <T>(r: () => number, items: readonly T[]): T => {
  const item = items[Math.floor(r() * items.length)];
  if (item === undefined) throw new Error('nothing to pick from');
  return item;
};
const pickWeighted = <T>(r: () => number, table: readonly (readonly [T, number])[]): T => {
  let x = r() * table.reduce((n, [, weight]) => n + weight, 0);
  for (const [value, weight] of table) if ((x -= weight) < 0) return value;
  return pick(r, table)[0];
};
/** A day between 2019-06 and 2026-10, as YYYY-MM-DD. */
const someDay = (r: () => number): string =>
  new Date(Date.parse('2019-06-01T00:00:00Z') + r() * 7.3 * 365 * 86_400_000).toISOString().slice(0, 10);

/** Searches by share of flows (paged flows make 3 requests each). */
const KINDS: readonly (readonly [string, number, Kind])[] = [
  [
    'subject',
    25,
    (r, w) => ({ kind: 'subject', purpose: 'TREAT', query: `subjectId=${pick(r, w.subjects)}`, pages: 1 }),
  ],
  [
    'study',
    20,
    (r, w) => ({ kind: 'study', purpose: 'TREAT', query: `studyKey=${pick(r, w.studies)}`, pages: 1 }),
  ],
  [
    'class+modality',
    15,
    (r) => ({
      kind: 'class+modality',
      purpose: 'HOPERAT',
      query: `dataClass=IMAGING&modality=${pickWeighted(r, MODALITIES)}&sort=ingestedAt&direction=desc`,
      pages: 1,
    }),
  ],
  [
    'status pages',
    7,
    (r) => ({
      kind: 'status pages',
      purpose: 'HOPERAT',
      query: pickWeighted(r, [
        ['status=under-review', 3],
        ['status=quarantined,rejected', 2],
        [`status=classified&ingestedFrom=${someDay(r)}`, 3],
      ]),
      pages: 3,
    }),
  ],
  [
    'eligible RESEARCH',
    15,
    (r) => ({
      kind: 'eligible RESEARCH',
      purpose: 'HRESCH',
      query: pickWeighted(r, [
        [`eligibleFor=RESEARCH&ingestedFrom=${someDay(r)}`, 2],
        [`eligibleFor=RESEARCH&modality=${pickWeighted(r, MODALITIES)}&ingestedFrom=${someDay(r)}`, 2],
        ['eligibleFor=RESEARCH&dataClass=GENOMICS&sort=ingestedAt&direction=desc', 1],
      ]),
      pages: 1,
    }),
  ],
];

function flows(w: CatalogWorkload, count: number, seed: number, kind?: string): Flow[] {
  const r = mulberry32(seed);
  const kinds = kind === undefined ? KINDS : KINDS.filter(([k]) => k === kind);
  return Array.from({ length: count }, () =>
    pickWeighted(
      r,
      kinds.map(([, weight, f]) => [f, weight] as const),
    )(r, w),
  );
}

const headersOf = (flow: Flow, actor: number): Record<string, string> => ({
  'x-actor': `user:bench-${actor}`,
  'x-purpose-of-use': flow.purpose,
});

/** `"nextCursor":"…"}` is the end of every page (JSON.stringify keeps key order). */
function nextCursorOf(body: string): string | null {
  const match = /"nextCursor":(?:"([^"]*)"|null)\}$/.exec(body);
  return match?.[1] ?? null;
}

/** One connection's sequence: each flow's first page, then its cursor pages. */
function requestsOf(w: CatalogWorkload, seed: number, actor: number): autocannon.Request[] {
  return flows(w, 200, seed).flatMap((flow) => {
    const path = `/v1/catalog?${flow.query}`;
    const headers = headersOf(flow, actor);
    const saveCursor = (_status: number, body: string, context: object): void => {
      (context as { cursor?: string | null }).cursor = nextCursorOf(body);
    };
    const first: autocannon.Request = { method: 'GET', path, headers, onResponse: saveCursor };
    const next = Array.from({ length: flow.pages - 1 }, (): autocannon.Request => ({
      method: 'GET',
      path,
      headers,
      setupRequest: (request, context) => {
        const cursor = (context as { cursor?: string | null }).cursor;
        // Past the last page: start the flow over.
        return { ...request, path: cursor ? `${path}&cursor=${cursor}` : path };
      },
      onResponse: saveCursor,
    }));
    return flow.pages > 1 ? [first, ...next] : [{ method: 'GET', path, headers }];
  });
}

// ---------------------------------------------------------------------------------------------
// Checks and probes

async function get(url: string, path: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(`${url}${path}`, { headers });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${body.slice(0, 300)}`);
  return body;
}

/** Both servers answer every kind of search, and its cursor pages, with the same JSON. */
async function sameAnswers(w: CatalogWorkload, ours: string, peer: string): Promise<number> {
  let checked = 0;
  for (const [kind] of KINDS) {
    for (const flow of flows(w, 8, 7, kind)) {
      let path = `/v1/catalog?${flow.query}`;
      for (let page = 0; page < Math.max(flow.pages, 2); page++) {
        const headers = headersOf(flow, 1);
        const [a, b] = await Promise.all([get(ours, path, headers), get(peer, path, headers)]);
        if (a !== b)
          throw new Error(
            `${kind}: the servers disagree on ${path}\nours: ${a.slice(0, 400)}\npeer: ${b.slice(0, 400)}`,
          );
        checked += 1;
        const cursor = nextCursorOf(a);
        if (cursor === null) break;
        path = `/v1/catalog?${flow.query}&cursor=${cursor}`;
      }
    }
  }
  return checked;
}

/** Latency of each kind of search alone (what a request costs without queueing). */
async function probeKinds(
  w: CatalogWorkload,
  url: string,
): Promise<{ readonly kind: string; readonly p50: number; readonly p99: number }[]> {
  const out = [];
  for (const [kind] of KINDS) {
    const times: number[] = [];
    for (const flow of flows(w, 70, 11, kind)) {
      const t = performance.now();
      await get(url, `/v1/catalog?${flow.query}`, headersOf(flow, 1));
      times.push(performance.now() - t);
    }
    const measured = times.slice(10);
    out.push({ kind, p50: percentile(measured, 0.5), p99: percentile(measured, 0.99) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Load

interface LoadRun {
  readonly rps: number;
  readonly p50: number;
  readonly p975: number;
  readonly p99: number;
  readonly max: number;
  readonly requests: number;
  readonly bytesPerRequest: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Server process CPU time / wall time (1 = one core busy). */
  readonly serverCpu: number;
  /** The same for this process (autocannon). */
  readonly clientCpu: number;
}

async function load(
  w: CatalogWorkload,
  url: string,
  connections: number,
  seconds: number,
  pid: number | undefined,
  seed: number,
): Promise<LoadRun> {
  const latencies: number[] = [];
  const cpu0 = pid === undefined ? 0 : cpuSeconds(pid);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  let client = 0;
  const outcome = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        // Replaced per connection in setupClient (each its own random sequence of flows).
        requests: [{ method: 'GET', path: '/v1/catalog' }],
        setupClient: (c) => {
          client += 1;
          c.setRequests(requestsOf(w, seed * 1000 + client, client));
        },
      },
      (error: unknown, res) =>
        error
          ? reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }))
          : resolve(res),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const wall = (performance.now() - t0) / 1000;
  const serverCpu = pid === undefined ? 0 : (cpuSeconds(pid) - cpu0) / wall;
  const clientUsage = process.cpuUsage(client0);
  const clientCpu = (clientUsage.user + clientUsage.system) / 1e6 / wall;
  return {
    rps: latencies.length / outcome.duration,
    p50: percentile(latencies, 0.5),
    p975: percentile(latencies, 0.975),
    p99: percentile(latencies, 0.99),
    max: Math.max(...latencies),
    requests: latencies.length,
    bytesPerRequest: outcome.throughput.total / Math.max(1, outcome['2xx']),
    non2xx: outcome.non2xx,
    errors: outcome.errors,
    timeouts: outcome.timeouts,
    serverCpu,
    clientCpu,
  };
}

function medianOf(runs: readonly LoadRun[]): { readonly rps: number; readonly p99: number } {
  return { rps: median(runs.map((r) => r.rps)), p99: median(runs.map((r) => r.p99)) };
}

// ---------------------------------------------------------------------------------------------
// Servers

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
}

function freePort(): Promise<number> {
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

/** The API as deployed: apps/api/src/main.ts on the embedded data directory. */
async function startApi(dataDir: string): Promise<Started> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MEDLINEAGE_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
  };
  delete env['DATABASE_URL'];
  delete env['EVENTSTORE_CONNECTION_STRING'];
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(repoRoot, 'apps/api/src/main.ts')],
    {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await waitFor(child, /^api: listening on /);
  return { child, url: `http://127.0.0.1:${port}` };
}

async function startPeer(dbPath: string): Promise<Started> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(repoRoot, 'tools/bench/api-peer.ts'), dbPath],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await waitFor(child, /^peer: listening on /);
  return { child, url: line.slice('peer: listening on '.length) };
}

function waitFor(child: ChildProcess, ready: RegExp): Promise<string> {
  const lines = createInterface({ input: child.stdout ?? process.stdin });
  return new Promise<string>((resolve, reject) => {
    const exited = (code: number | null): void =>
      reject(new Error(`${child.spawnfile} exited early (${code})`));
    child.once('exit', exited);
    lines.on('line', (line) => {
      if (!ready.test(line)) return;
      child.off('exit', exited);
      resolve(line);
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
