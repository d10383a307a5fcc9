import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';

/** Writes all of `bytes` (a single write may be short). */
export async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

/**
 * Makes a rename, create or unlink in `dir` durable. Without it a power loss can undo a put that
 * was reported as stored (the file's data was synced, but not the directory entry naming it).
 */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * `mkdir -p` that, with `durable`, also syncs every directory it created into its parent, so
 * that a newly published object is not lost with a directory entry that was never written out.
 */
export async function ensureDirectory(dir: string, durable: boolean): Promise<void> {
  const firstCreated = await mkdir(dir, { recursive: true });
  if (!durable || firstCreated === undefined) return;
  const created = relative(dirname(firstCreated), dir).split(sep);
  let current = dirname(firstCreated);
  for (const part of created) {
    await syncDirectory(current);
    current = `${current}${sep}${part}`;
  }
}
