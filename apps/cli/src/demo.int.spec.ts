import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `npm run demo` is an interface people rely on: run it as npm does and read what it prints. */
describe('demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medlineage-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the core end to end on embedded defaults', async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['-r', '@swc-node/register', join(__dirname, 'demo.ts')],
        { cwd: join(__dirname, '../../..'), env: { ...process.env, MEDLINEAGE_DEMO_DIR: dir } },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      );
    });
    expect(stdout).toMatch(/same object pushed again\s+-> unchanged/);
    expect(stdout).toMatch(/consent message redelivered\s+-> duplicate/);
    expect(stdout.match(/^ {2}#\d+ /gm)).toHaveLength(3);
    expect(stdout).not.toMatch(/ZZCANARY|MRN/);
  });
});
