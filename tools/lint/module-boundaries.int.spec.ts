import { execFile, execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Nx boundary rule is silently skipped when no project graph is cached, so this proves it
 * really constrains: a probe file in the domain lib importing a vendor SDK and an adapter must fail lint.
 */
describe('module boundaries', () => {
  const root = join(__dirname, '../..');
  const probe = join(root, 'libs/domain/src/boundary-probe.ts');

  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      stdio: 'ignore',
    });
    writeFileSync(
      probe,
      "import { Type } from 'avsc';\nimport { EmbeddedEventStore } from '@medlineage/event-store-embedded';\n\nexport const probe = [Type, EmbeddedEventStore];\n",
    );
  });
  afterAll(() => rmSync(probe, { force: true }));

  it('forbids vendor SDKs and infrastructure libs in the domain', async () => {
    // ESLint's flat config loads through dynamic import, which jest's VM cannot do: run the CLI.
    const output = await lintJson(root, probe);
    const messages = output
      .flatMap((r) => r.messages)
      .filter((m) => m.ruleId === '@nx/enforce-module-boundaries');
    expect(messages.map((m) => m.message)).toEqual([
      'A project tagged with "type:domain" is not allowed to import "avsc"',
      'A project tagged with "type:domain" can only depend on libs tagged with "type:domain", "type:util"',
    ]);
  });
});

interface LintReport {
  messages: { ruleId: string | null; message: string }[];
}

function lintJson(cwd: string, file: string): Promise<LintReport[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(cwd, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', file],
      { cwd, maxBuffer: 16 * 2 ** 20 },
      (_error, stdout) => {
        // Exit code 1 is expected (the probe has errors); only unparsable output is a failure.
        try {
          resolve(JSON.parse(stdout) as LintReport[]);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      },
    );
  });
}
