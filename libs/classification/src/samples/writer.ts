import { crc32 as zlibCrc32, deflateRawSync } from 'node:zlib';
import { BGZF_EOF } from '../sniff/gzip.sniff';

/** Little-endian binary builder for the synthetic formats. */
export class ByteWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  bytes(b: Uint8Array | readonly number[]): this {
    const chunk = b instanceof Uint8Array ? b : Uint8Array.from(b);
    this.chunks.push(chunk);
    this.size += chunk.length;
    return this;
  }

  ascii(s: string): this {
    return this.bytes(Buffer.from(s, 'latin1'));
  }

  zeros(n: number): this {
    return this.bytes(new Uint8Array(n));
  }

  u8(v: number): this {
    return this.bytes([v & 0xff]);
  }

  u16(v: number): this {
    return this.bytes([v & 0xff, (v >>> 8) & 0xff]);
  }

  u32(v: number): this {
    return this.bytes([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);
  }

  i32(v: number): this {
    return this.u32(v >>> 0);
  }

  done(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

export const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

/** CRC-32 (ISO 3309 / ITU-T V.42), as gzip, zip and CRAM use it. */
export function crc32(b: Uint8Array): number {
  return zlibCrc32(b);
}

/**
 * One gzip member (RFC 1952), written by hand so that it is byte-identical on every platform
 * (zlib's own header records the OS). `name` sets FNAME, which sniffers must never echo.
 */
export function gzip(data: Uint8Array, options: { readonly name?: string } = {}): Uint8Array {
  const w = new ByteWriter()
    .bytes([0x1f, 0x8b, 0x08, options.name === undefined ? 0 : 0x08])
    .u32(0)
    .bytes([0x00, 0xff]);
  if (options.name !== undefined) w.ascii(options.name).u8(0);
  return w
    .bytes(deflateRawSync(data))
    .u32(crc32(data))
    .u32(data.length >>> 0)
    .done();
}

/** Uncompressed bytes per BGZF block, as htslib writes them (BGZF_BLOCK_SIZE 0xff00). */
const BGZF_BLOCK_DATA = 0xff00;

/**
 * BGZF (SAM spec §4.1): gzip members of at most 64 KiB, each with FEXTRA holding the `BC`
 * subfield (SLEN 2, BSIZE = block size − 1), then the 28-byte empty end-of-file block.
 */
export function bgzf(data: Uint8Array): Uint8Array {
  const w = new ByteWriter();
  for (let at = 0; at < data.length; at += BGZF_BLOCK_DATA) {
    const chunk = data.subarray(at, at + BGZF_BLOCK_DATA);
    const deflated = deflateRawSync(chunk);
    const blockSize = 18 + deflated.length + 8;
    if (blockSize > 65536) throw new Error('BGZF block over 64 KiB');
    w.bytes([0x1f, 0x8b, 0x08, 0x04])
      .u32(0)
      .bytes([0x00, 0xff])
      .u16(6)
      .bytes([0x42, 0x43])
      .u16(2)
      .u16(blockSize - 1)
      .bytes(deflated)
      .u32(crc32(chunk))
      .u32(chunk.length);
  }
  return w.bytes(BGZF_EOF).done();
}

/** A deterministic PRNG (mulberry32), so that every sample is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(length: number, seed: number): Uint8Array {
  const next = prng(seed);
  return Uint8Array.from({ length }, () => Math.floor(next() * 256));
}
