import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIO, TestEventLog, seedScenario } from '@medlineage/read-models/testing';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run projections -- <args>` as npm runs it, on the embedded stores of `dataDir`. */
function projections(dataDir: string, args: readonly string[]): Promise<Run> {
  // Only the embedded stores of `dataDir`: never a server the environment (CI) points at.
  const env: NodeJS.ProcessEnv = { ...process.env, MEDLINEAGE_DATA_DIR: dataDir };
  delete env['DATABASE_URL'];
  delete env['EVENTSTORE_CONNECTION_STRING'];
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, 'projections-cli.ts'), ...args],
    { cwd: join(__dirname, '../../..'), env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
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
