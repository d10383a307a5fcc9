import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `npm run demo` is an interface people rely on: run it as npm does and read what it prints. */
describe('demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medlineage-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ingests the synthetic inputs end to end on embedded defaults and reports what happened', async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['-r', '@swc-node/register', join(__dirname, 'demo.ts')],
        { cwd: join(__dirname, '../../..'), env: { ...process.env, MEDLINEAGE_DEMO_DIR: dir } },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      );
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
  });
});
