import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Something to connect to: a TCP address, or a unix socket. `ping` asks a Docker API for `/_ping`. */
export type ProbeTarget =
  | { readonly host: string; readonly port: number; readonly ping?: boolean }
  | { readonly path: string; readonly ping?: boolean };

/** Per connection attempt; loopback answers in microseconds, so this only bounds a dead or filtered address. */
const CONNECT_TIMEOUT_MS = 1_500;
/** Hard ceiling for the whole probe process, so a test file can never hang here. */
const PROBE_TIMEOUT_MS = 5_000;

// Runs in a child `node`: jest decides whether a suite runs (or is skipped) while it collects the
// tests, synchronously, so the asynchronous socket checks happen in a process we can wait for with
// spawnSync. Plain JavaScript on purpose: it is passed to `node -e` as is.
const PROBE_SCRIPT = `
const net = require('node:net');
const targets = JSON.parse(process.argv[1]);
const timeoutMs = Number(process.argv[2]);
const check = (t) => new Promise((resolve) => {
  const socket = t.path ? net.connect({ path: t.path }) : net.connect({ host: t.host, port: t.port });
  let data = '';
  const done = (ok) => { socket.destroy(); resolve(ok); };
  socket.setTimeout(timeoutMs, () => done(false));
  socket.once('error', () => done(false));
  socket.once('connect', () => {
    if (!t.ping) { done(true); return; }
    socket.write('GET /_ping HTTP/1.0\\r\\nHost: docker\\r\\n\\r\\n');
    socket.on('data', (chunk) => { data += chunk; if (/\\r\\n\\r\\nOK/.test(data)) done(true); });
    socket.once('end', () => done(/\\r\\n\\r\\nOK/.test(data)));
  });
});
Promise.all(targets.map(check)).then((results) => process.stdout.write(JSON.stringify(results)));
`;

/** Connects to every target (in parallel) and reports which ones answered. */
export function probe(targets: readonly ProbeTarget[]): boolean[] {
  if (targets.length === 0) {
    return [];
  }
  const result = spawnSync(
    process.execPath,
    ['-e', PROBE_SCRIPT, JSON.stringify(targets), String(CONNECT_TIMEOUT_MS)],
    // NODE_OPTIONS cleared: the parent's loaders (jest, swc) have no business in this child.
    { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, env: { ...process.env, NODE_OPTIONS: '' } },
  );
  try {
    const parsed: unknown = JSON.parse(result.stdout);
    if (Array.isArray(parsed) && parsed.length === targets.length) {
      return parsed.map((ok) => ok === true);
    }
  } catch {
    // Treated as "nothing answered" below.
  }
  return targets.map(() => false);
}

export interface DockerEngine {
  readonly reachable: boolean;
  /** Where it was found, or why not: ends up in the "did not run" line. */
  readonly detail: string;
}

let cachedEngine: DockerEngine | undefined;

/**
 * Is a Docker (or compatible) engine reachable, the way testcontainers would look for one? Checked
 * quickly and without testcontainers itself, whose runtime discovery can wait a long time for an
 * engine that is not there. Cached per test file.
 */
export function dockerEngine(): DockerEngine {
  cachedEngine ??= findDockerEngine();
  return cachedEngine;
}

function findDockerEngine(): DockerEngine {
  const candidates = dockerCandidates();
  const targets = candidates.flatMap(({ target }) => (target ? [target] : []));
  const answers = probe(targets);
  const found = targets.findIndex((_, i) => answers[i] === true);
  if (found >= 0) {
    const target = targets[found];
    return { reachable: true, detail: `Docker engine at ${describeTarget(target)}` };
  }
  const tried = candidates.map(({ label }) => label).join(', ');
  return { reachable: false, detail: `no Docker engine reachable (tried ${tried})` };
}

function describeTarget(target: ProbeTarget | undefined): string {
  if (target === undefined) {
    return 'unknown';
  }
  return 'path' in target ? target.path : `${target.host}:${target.port}`;
}

interface Candidate {
  readonly label: string;
  readonly target?: ProbeTarget;
}

function dockerCandidates(): Candidate[] {
  const fromEnv = process.env['DOCKER_HOST'];
  const fromProperties = testcontainersProperties()['docker.host'];
  const explicit = fromEnv ?? fromProperties;
  if (explicit !== undefined && explicit !== '') {
    // An engine someone configured explicitly is the only one testcontainers would use.
    const label = fromEnv !== undefined ? `DOCKER_HOST=${explicit}` : `docker.host=${explicit}`;
    return [{ label, target: targetFromDockerHost(explicit) }];
  }
  const xdg = process.env['XDG_RUNTIME_DIR'];
  const sockets = [
    '/var/run/docker.sock',
    ...(xdg ? [join(xdg, 'docker.sock')] : []),
    join(homedir(), '.docker', 'run', 'docker.sock'),
    join(homedir(), '.docker', 'desktop', 'docker.sock'),
    join('/run', 'user', String(userInfo().uid), 'docker.sock'),
  ];
  return [...new Set(sockets)].map((path) => ({
    label: path,
    ...(isSocket(path) ? { target: { path, ping: true } } : {}),
  }));
}

function targetFromDockerHost(uri: string): ProbeTarget | undefined {
  if (uri.startsWith('unix://')) {
    return { path: uri.slice('unix://'.length), ping: true };
  }
  if (uri.startsWith('tcp://')) {
    const url = new URL(uri.replace(/^tcp:/, 'http:'));
    // With TLS (port 2376 by convention) a plain /_ping gets no "OK"; a TCP connect is the best quick check.
    const tls = process.env['DOCKER_TLS_VERIFY'] === '1' || url.port === '2376';
    return { host: url.hostname, port: Number(url.port || (tls ? 2376 : 2375)), ping: !tls };
  }
  return undefined;
}

function isSocket(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isSocket();
  } catch {
    return false;
  }
}

function testcontainersProperties(): Record<string, string> {
  const file = join(homedir(), '.testcontainers.properties');
  const props: Record<string, string> = {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return props;
  }
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([\w.]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (match?.[1] !== undefined && !line.trimStart().startsWith('#')) {
      props[match[1]] = match[2] ?? '';
    }
  }
  return props;
}
