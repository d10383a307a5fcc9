import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadModelDatabase } from './database';
import { readModelSuite } from './testing/read-model-suite';
import { rebuildSuite } from './testing/rebuild-suite';

function createDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'medlineage-rm-sqlite-'));
  const url = `sqlite:${join(dir, 'read-models.db')}`;
  const primary = ReadModelDatabase.open({ url });
  return Promise.resolve({
    primary,
    connectAgain: () => ReadModelDatabase.open({ url }),
    dispose: async () => {
      await primary.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

describe('read models on SQLite', () => {
  readModelSuite(createDatabase);
  describe('blue/green rebuild', () => rebuildSuite(createDatabase));

  it('rejects unknown database URLs', () => {
    expect(() => ReadModelDatabase.open({ url: 'mysql://x' })).toThrow(RangeError);
    expect(() => ReadModelDatabase.open({ url: 'sqlite:' })).toThrow(RangeError);
  });
});
