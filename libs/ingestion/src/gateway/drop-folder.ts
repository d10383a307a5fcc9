import { mkdir, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { watch } from 'chokidar';
import type { Gateway, PushResult } from './gateway';

/**
 * Watch mode: files that appear in a drop folder (once fully written) are pushed, then moved to
 * `.pushed/` or, on failure, `.failed/` inside the folder so nothing is pushed twice by accident
 * and nothing is lost. Returns a stop function.
 */
export async function watchDropFolder(
  folder: string,
  gateway: Gateway,
  onResult: (result: PushResult) => void,
): Promise<() => Promise<void>> {
  const pushed = join(folder, '.pushed');
  const failed = join(folder, '.failed');
  await mkdir(pushed, { recursive: true });
  await mkdir(failed, { recursive: true });
  const watcher = watch(folder, {
    ignored: (path: string) => basename(path).startsWith('.') && path !== folder,
    depth: 0,
    ignoreInitial: false,
    // A modality writes files in pieces: wait until the size has been stable for a moment.
    awaitWriteFinish: { stabilityThreshold: 500, pollInterval: 100 },
  });
  let queue = Promise.resolve();
  watcher.on('add', (path: string) => {
    queue = queue
      .then(async () => {
        const result = await gateway.pushFile(path);
        await rename(path, join(result.ok ? pushed : failed, basename(path)));
        onResult(result);
      })
      // A file that vanished or could not be moved must not stop the folder being watched.
      .catch(() => onResult({ path, ok: false, error: 'could not push or move the file' }));
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return async () => {
    await watcher.close();
    await queue;
  };
}
