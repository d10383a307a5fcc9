import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { dataObjectStreamName } from '@medlineage/domain';
import { objectAccessed } from '@medlineage/domain/testing';
import { SCENARIO, TestEventLog, seedScenario } from '@medlineage/read-models/testing';
import { waitFor } from '@medlineage/testing';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run projections -- <args>` as npm runs it, on the embedded stores of `dataDir`. */
function projections(dataDir: string, args: readonly string[]): Promise<Run> {
  return finished(start(dataDir, args));
}

interface Started {
  readonly child: ChildProcess;
  readonly output: { stdout: string; stderr: string };
}

function start(dataDir: string, args: readonly string[]): Started {
  // Only the embedded stores of `dataDir`: never a server the environment (CI) points at.
  const env: NodeJS.ProcessEnv = { ...process.env, MEDLINEAGE_DATA_DIR: dataDir };
  delete env['DATABASE_URL'];
  delete env['EVENTSTORE_CONNECTION_STRING'];
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, 'projections-cli.ts'), ...args],
    { cwd: join(__dirname, '../../..'), env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  return { child, output };
}

function finished({ child, output }: Started): Promise<Run> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, ...output }));
  });
}

/** `projections` is how operators rebuild read models after a schema change: run it as they do. */
describe('projections CLI', () => {
  let log: TestEventLog;

  beforeAll(async () => {
    log = TestEventLog.open();
    await seedScenario(log);
  });

  afterAll(async () => {
    await log.close();
    rmSync(log.dir, { recursive: true, force: true });
  });

  it('rebuilds every read model in one pass, switches each, and reports them caught up', async () => {
    const run = await projections(log.dir, ['rebuild', 'all']);
    expect(run).toMatchObject({ code: 0 });
    const expected = {
      catalog: SCENARIO.catalog,
      consent: SCENARIO.consent,
      audit: SCENARIO.audit,
      lineage: SCENARIO.lineage,
    };
    for (const [name, events] of Object.entries(expected)) {
      // A fresh install's generations are replaced by the rebuilt ones.
      expect(run.stdout).toMatch(new RegExp(`^${name}: switched v\\d+ → v\\d+ \\(${events} events, `, 'm'));
      expect(run.stderr).toMatch(
        new RegExp(`^${name}: v\\d+ 100% \\(${events} events, .*building query indexes\\)$`, 'm'),
      );
    }

    const status = await projections(log.dir, ['status']);
    expect(status).toMatchObject({ code: 0, stderr: '' });
    for (const [name, events] of Object.entries(expected)) {
      expect(status.stdout).toMatch(
        new RegExp(
          `^${name} +v\\d+ \\(schema \\d+\\) +position C:${SCENARIO.total}/P:${SCENARIO.total} +applied ${events} +lag 0 +caught up$`,
          'm',
        ),
      );
    }
    expect(status.stdout).not.toMatch(/STALE|rebuilding/);
  });

  it('refuses an unknown read model with its usage and exit code 2', async () => {
    const run = await projections(log.dir, ['rebuild', 'no-such-model']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^usage: projections status \| catch-up \| rebuild <catalog\|consent\|audit\|lineage\|all>/,
    );
    expect(run.stdout).toBe('');
  });
});

/** Streams of 1,000 events each. */
const STREAMS = 60;

describe('projections CLI interrupted', () => {
  let log: TestEventLog;

  beforeAll(async () => {
    log = TestEventLog.open();
    // Long enough (tens of thousands of events) that the rebuild is still loading when Ctrl-C lands.
    for (let stream = 0; stream < STREAMS; stream++) {
      const name = dataObjectStreamName(`00000000-0000-4000-8000-${String(stream).padStart(12, '0')}`);
      await log.append(
        name,
        Array.from({ length: 1_000 }, () => objectAccessed()),
      );
    }
  });

  afterAll(async () => {
    await log.close();
    rmSync(log.dir, { recursive: true, force: true });
  });

  it('stops on Ctrl-C with the live generations unchanged, and a rerun resumes and switches', async () => {
    const started = start(log.dir, ['rebuild', 'all']);
    const run = finished(started);
    // The first progress line comes before the first batch: interrupt from there.
    await waitFor(() => started.output.stderr.includes('catalog: v'), {
      timeoutMs: 60_000,
      description: () => `rebuild progress (stderr: ${started.output.stderr})`,
    });
    started.child.kill('SIGINT');
    const interrupted = await run;
    expect(interrupted).toMatchObject({ code: 130 });
    const stopped =
      /^audit: interrupted at (\d+) events in generation v(\d+); the live generation is unchanged/m.exec(
        interrupted.stdout,
      );
    expect(stopped).not.toBeNull();
    expect(Number(stopped?.[1])).toBeLessThan(STREAMS * 1_000);
    expect(interrupted.stdout).not.toMatch(/switched/);

    const resumed = await projections(log.dir, ['rebuild', 'all']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(
      new RegExp(
        `^audit: switched v\\d+ → v${stopped?.[2]} \\(${STREAMS * 1_000} events, [\\d.]+ s, resumed`,
        'm',
      ),
    );
  });
});
