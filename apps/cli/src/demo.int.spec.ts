import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@medlineage/testing';

/** `npm run demo` is an interface people rely on: run it as npm does and read what it prints. */
describe('demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medlineage-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ingests the synthetic inputs end to end on embedded defaults, builds the read models, and serves them with --serve', async () => {
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    const demo = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'demo.ts'), '--serve'],
      {
        cwd: join(__dirname, '../../..'),
        env: { ...process.env, MEDLINEAGE_DEMO_DIR: dir, PORT: port },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    demo.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    demo.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    try {
      await waitFor(() => stdout.includes('api: listening on'), {
        timeoutMs: 100_000,
        description: () => `the API to listen (stderr: ${stderr})`,
      });
      expect(stdout).toMatch(/Gateway: (\d+) pushed, 0 failed/);
      expect(stdout).toMatch(/Re-pushed one file: 0 new events/);
      expect(stdout).toMatch(/Classified by data class: .*IMAGING \d+/);
      expect(stdout).toMatch(/GENOMICS \d+/);
      expect(stdout).toMatch(/EHR_STRUCTURED \d+/);
      expect(stdout).toMatch(/Rejected: [1-9]\d*/);
      expect(stdout).toMatch(/MALFORMED_CONTENT: dicom TRUNCATED/);
      expect(stdout).toMatch(/EXECUTABLE_CONTENT/);
      expect(stdout).toMatch(/Plaintext planted identifiers in the event log: none/);
      expect(stdout).toMatch(/Full history of one study \(\d+ events\)/);
      expect(stdout).toMatch(/ObjectIngested \[study-member\]/);
      const applied = /catalog +generation v\d+, (\d+) events applied, lag 0/.exec(stdout);
      expect(Number(applied?.[1])).toBeGreaterThan(0);
      const objects = Number(/catalog: (\d+) objects/.exec(stdout)?.[1]);
      expect(objects).toBeGreaterThan(0);

      // The served API reads the same read models.
      const response = await fetch(`http://127.0.0.1:${port}/v1/catalog?limit=500`, {
        headers: { 'X-Actor': 'user:demo-test', 'X-Purpose-Of-Use': 'HRESCH' },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { items: unknown[] };
      expect(body.items).toHaveLength(objects);
    } finally {
      demo.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
