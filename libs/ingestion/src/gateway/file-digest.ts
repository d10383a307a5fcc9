import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface FileDigest {
  readonly sha256: string;
  readonly sizeBytes: number;
  /** First bytes, for sniffing and the ordering key. */
  readonly head: Buffer;
}

/** One streaming pass over a file: SHA-256, size and the first `headBytes` bytes. */
export async function digestFile(path: string, headBytes = 64 * 1024): Promise<FileDigest> {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let kept = 0;
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    if (kept < headBytes) {
      const part = chunk.subarray(0, headBytes - kept);
      head.push(part);
      kept += part.length;
    }
  }
  return { sha256: hash.digest('hex'), sizeBytes: size, head: Buffer.concat(head) };
}
