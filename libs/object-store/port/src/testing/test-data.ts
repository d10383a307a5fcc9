import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { contentKey } from '../object-keys';

export const KiB = 1024;
export const MiB = 1024 * KiB;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Reads a stream to its end, returning SHA-256 and size without keeping the bytes. */
export async function digestStream(stream: Readable): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    hash.update(buffer);
    sizeBytes += buffer.length;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export interface GeneratedStream {
  readonly stream: Readable;
  /** Bytes handed to the consumer so far. */
  produced(): number;
  /** SHA-256 of everything produced; final once the stream has been read to its end. */
  sha256(): string;
}

export interface GeneratedStreamOptions {
  readonly totalBytes: number;
  /** @defaultValue 64 KiB */
  readonly chunkBytes?: number;
  /**
   * Awaited before each chunk with the bytes produced so far: lets a test hold the source back
   * until the store has shown some behaviour (bytes reaching the backend, say).
   */
  readonly beforeChunk?: (produced: number) => Promise<void>;
  /** Make the stream error after this many bytes (a dropped modality connection). */
  readonly failAfterBytes?: number;
}

/**
 * A lazily generated random stream: nothing is produced before the consumer asks for it, so how
 * far ahead of the backend a store reads is observable through {@link GeneratedStream.produced}.
 */
export function generatedStream(options: GeneratedStreamOptions): GeneratedStream {
  const { totalBytes, chunkBytes = 64 * KiB, beforeChunk, failAfterBytes } = options;
  const hash = createHash('sha256');
  let produced = 0;
  let digest: string | undefined;
  async function* chunks(): AsyncGenerator<Buffer> {
    while (produced < totalBytes) {
      if (failAfterBytes !== undefined && produced >= failAfterBytes) {
        throw Object.assign(new Error('source connection dropped'), { code: 'ECONNRESET' });
      }
      if (beforeChunk) await beforeChunk(produced);
      const chunk = randomBytes(Math.min(chunkBytes, totalBytes - produced));
      hash.update(chunk);
      produced += chunk.length;
      yield chunk;
    }
    digest = hash.digest('hex');
  }
  return {
    // Not object mode, and a small buffer: the store, not the test, decides how much is read ahead.
    stream: Readable.from(chunks(), { objectMode: false, highWaterMark: chunkBytes }),
    produced: () => produced,
    sha256: () => {
      if (digest === undefined) throw new Error('generated stream not read to its end');
      return digest;
    },
  };
}

const SAMPLE_HASH = 'ab'.repeat(32);
const SAMPLE_KEY = contentKey(SAMPLE_HASH);

/**
 * Keys an attacker (or a careless caller passing a file name) might try. Each must be refused
 * with InvalidObjectKeyError before any I/O, by every method that takes a key.
 */
export const HOSTILE_KEYS: readonly string[] = [
  '',
  '.',
  '..',
  '../escaped',
  '../../../../etc/passwd',
  `${SAMPLE_KEY}/../../../escaped`,
  `sha256/ab/ab/../../../${SAMPLE_HASH}`,
  './' + SAMPLE_KEY,
  '%2e%2e/escaped',
  '..%2fescaped',
  '%2e%2e%2f%2e%2e%2fescaped',
  '%252e%252e%252fescaped',
  `sha256/ab/ab/%2e%2e`,
  '/etc/passwd',
  '/' + SAMPLE_KEY,
  'C:\\Windows\\win.ini',
  'C:/Windows/win.ini',
  '\\\\server\\share\\x',
  'sha256\\ab\\ab\\' + SAMPLE_HASH,
  `${SAMPLE_KEY}\u0000.png`,
  `sha256/ab/ab/${SAMPLE_HASH.slice(0, 10)}\u0000${SAMPLE_HASH.slice(11)}`,
  `${SAMPLE_KEY}\n`,
  `${SAMPLE_KEY}\r\nX-Injected: 1`,
  `${SAMPLE_KEY}\u007f`,
  `${SAMPLE_KEY} `,
  `${SAMPLE_KEY}\u200b`,
  'x'.repeat(1025),
  'é'.repeat(600),
  `sha256/ab/ab/${'a'.repeat(2000)}`,
  SAMPLE_KEY.toUpperCase(),
  `sha256/AB/AB/${SAMPLE_HASH.toUpperCase()}`,
  `sha256/cd/ef/${SAMPLE_HASH}`,
  `sha256/ab/ab/${SAMPLE_HASH.slice(1)}`,
  `sha256/ab/ab/${SAMPLE_HASH}0`,
  `sha256//ab/${SAMPLE_HASH}`,
  `sha512/ab/ab/${SAMPLE_HASH}`,
  `\u0455ha256/ab/ab/${SAMPLE_HASH}`,
  `sha256\u2215ab\u2215ab\u2215${SAMPLE_HASH}`,
  'DOE^JOHN_1970-01-01_CT_HEAD.dcm',
  'studies/1.2.840.10008.1/object.bin',
];

/** Prefixes `list` must refuse (they can never match a key, or try to leave the key space). */
export const HOSTILE_PREFIXES: readonly string[] = [
  '../',
  '/',
  'sha256/../',
  'sha256/ab/ab/..',
  '%2e%2e',
  'SHA256/',
  'sha256\\',
  'sha256/ab/cd/ef',
  `sha256/ab/ab/${SAMPLE_HASH}0`,
  'studies/',
  '\u0000',
];
