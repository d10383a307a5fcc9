import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@medlineage/testing';

/** `npm run projector` runs until it is told to stop, and then stops cleanly. */
describe('projector service process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('closes its stores and exits 0 on %s', async (signal) => {
    const dir = mkdtempSync(join(tmpdir(), 'medlineage-projector-main-'));
    const env: NodeJS.ProcessEnv = { ...process.env, MEDLINEAGE_DATA_DIR: dir };
    delete env['DATABASE_URL'];
    delete env['EVENTSTORE_CONNECTION_STRING'];
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'main.ts')], {
      cwd: join(__dirname, '../../..'),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(() => output.includes('ProjectorModule dependencies initialized'), {
        timeoutMs: 60_000,
        description: () => `the projector to start (output: ${output})`,
      });
      child.kill(signal);
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
