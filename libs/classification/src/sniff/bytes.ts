/*
 * Bounds-checked byte access. Reads past the end return -1 (bytes) or null (words), so that
 * sniffers can be written as plain comparisons and never throw on short or hostile input.
 */

export const byteAt = (b: Uint8Array, i: number): number => (i >= 0 && i < b.length ? (b[i] ?? -1) : -1);

export function u16le(b: Uint8Array, o: number): number | null {
  if (o < 0 || o + 2 > b.length) return null;
  return byteAt(b, o) | (byteAt(b, o + 1) << 8);
}

export function u16be(b: Uint8Array, o: number): number | null {
  if (o < 0 || o + 2 > b.length) return null;
  return (byteAt(b, o) << 8) | byteAt(b, o + 1);
}

export function u32le(b: Uint8Array, o: number): number | null {
  if (o < 0 || o + 4 > b.length) return null;
  return (byteAt(b, o) | (byteAt(b, o + 1) << 8) | (byteAt(b, o + 2) << 16) | (byteAt(b, o + 3) << 24)) >>> 0;
}

export function u32be(b: Uint8Array, o: number): number | null {
  if (o < 0 || o + 4 > b.length) return null;
  return ((byteAt(b, o) << 24) | (byteAt(b, o + 1) << 16) | (byteAt(b, o + 2) << 8) | byteAt(b, o + 3)) >>> 0;
}

/** True when `signature` (bytes, or an ASCII string) occurs at `offset`. */
export function hasBytes(b: Uint8Array, offset: number, signature: string | readonly number[]): boolean {
  const n = signature.length;
  if (offset < 0 || offset + n > b.length) return false;
  for (let i = 0; i < n; i++) {
    const expected = typeof signature === 'string' ? signature.charCodeAt(i) : (signature[i] ?? -2);
    if (byteAt(b, offset + i) !== expected) return false;
  }
  return true;
}

/** One char per byte (ISO 8859-1): offsets in the string are byte offsets. */
export function latin1(b: Uint8Array, start = 0, end = b.length): string {
  const from = Math.max(0, Math.min(start, b.length));
  const to = Math.max(from, Math.min(end, b.length));
  return Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('latin1');
}

/**
 * The bytes a sniffer may look at: at most the first 64 KiB of an object, plus whether they are
 * the whole object (only then can "the stream ends early" be told apart from "we stopped reading").
 */
export class Head {
  private text: string | null = null;
  private utf8: boolean | null = null;

  constructor(
    readonly bytes: Uint8Array,
    /** Size of the whole object; Infinity when unknown. */
    readonly totalSize: number,
    /** 0 for the object itself, 1 inside one gzip/BGZF layer. */
    readonly depth: number,
  ) {}

  /** The head is the whole object. */
  get complete(): boolean {
    return this.bytes.length >= this.totalSize;
  }

  get length(): number {
    return this.bytes.length;
  }

  /** The head as a latin1 string (byte offsets = string offsets), computed once. */
  get latin1(): string {
    this.text ??= latin1(this.bytes);
    return this.text;
  }

  /** Text: valid UTF-8 (a multi-byte character cut by the head limit is tolerated), no NUL, < 1% controls. */
  get isText(): boolean {
    this.utf8 ??= looksLikeText(this.bytes, this.complete);
    return this.utf8;
  }
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function looksLikeText(b: Uint8Array, complete: boolean): boolean {
  if (b.length === 0) return false;
  let controls = 0;
  let high = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i] ?? 0;
    if (c === 0) return false;
    if (c >= 0x80) high = true;
    else if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) controls++;
    else if (c === 0x7f) controls++;
  }
  if (controls * 100 > b.length) return false;
  if (!high) return true;
  let end = b.length;
  if (!complete) {
    // Drop a multi-byte sequence cut by the head limit (at most 3 continuation-incomplete bytes).
    let back = 0;
    while (back < 3 && end - back - 1 >= 0 && ((b[end - back - 1] ?? 0) & 0xc0) === 0x80) back++;
    const lead = b[end - back - 1] ?? 0;
    if (lead >= 0xc0) end = end - back - 1;
  }
  try {
    utf8Decoder.decode(b.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * Up to `max` lines of the head, without their `\n` / `\r\n`. The last one is dropped when the
 * head stops inside it (only a complete head has a complete last line without a newline).
 */
export function firstLines(head: Head, max: number): string[] {
  const text = head.latin1;
  const lines: string[] = [];
  let at = 0;
  while (lines.length < max && at < text.length) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) {
      if (head.complete) lines.push(text.slice(at).replace(/\r$/, ''));
      break;
    }
    lines.push(text.slice(at, nl).replace(/\r$/, ''));
    at = nl + 1;
  }
  return lines;
}
