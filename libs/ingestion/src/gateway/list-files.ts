import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Regular files under the given paths (directories walked recursively, dot-entries skipped), sorted. */
export async function listFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path);
    if (info.isFile()) {
      out.push(path);
      return;
    }
    if (!info.isDirectory()) return;
    for (const entry of await readdir(path, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      await visit(join(path, entry.name));
    }
  };
  for (const p of paths) await visit(p);
  return out.sort();
}
