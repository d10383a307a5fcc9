import { byteAt, hasBytes, Head, u16le, u32le } from './bytes';
import { inflateRawCapped, type InflateOutcome } from './inflate';
import { detection, MAX_INFLATED_BYTES, type Detection } from './signal';

/** Sniffs one inflated layer; supplied by the orchestrator (no recursion beyond depth 1). */
export type LayerSniffer = (inner: Head) => readonly Detection[];

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const RESERVED = 0xe0;

/** The 28-byte BGZF end-of-file marker (an empty block), SAM/BAM spec §4.1.2. */
export const BGZF_EOF = [
  0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 0x06, 0, 0x42, 0x43, 0x02, 0, 0x1b, 0, 0x03, 0, 0, 0, 0, 0, 0,
  0, 0, 0,
] as const;

interface GzipHeader {
  /** Offset of the deflate data from the start of the member. */
  readonly dataOffset: number;
  /** Total BGZF block size (BSIZE + 1) when the FEXTRA field has a `BC` subfield. */
  readonly bgzfBlockSize: number | null;
}

type HeaderParse = GzipHeader | 'not-gzip' | 'cut' | 'bad-extra';

/** RFC 1952 member header. FNAME and FCOMMENT are skipped, never read: they can hold PHI. */
function parseHeader(b: Uint8Array, at: number): HeaderParse {
  if (byteAt(b, at) !== 0x1f || byteAt(b, at + 1) !== 0x8b || byteAt(b, at + 2) !== 0x08) return 'not-gzip';
  const flags = byteAt(b, at + 3);
  if (flags < 0) return 'cut';
  if ((flags & RESERVED) !== 0) return 'not-gzip';
  let p = at + 10;
  let bgzfBlockSize: number | null = null;
  if (flags & FEXTRA) {
    const xlen = u16le(b, p);
    if (xlen === null) return 'cut';
    const end = p + 2 + xlen;
    let s = p + 2;
    while (s + 4 <= end) {
      const len = u16le(b, s + 2);
      if (len === null) return 'cut';
      if (byteAt(b, s) === 0x42 && byteAt(b, s + 1) === 0x43 && len === 2) {
        const bsize = u16le(b, s + 4);
        if (bsize === null) return 'cut';
        bgzfBlockSize = bsize + 1;
      }
      s += 4 + len;
    }
    if (s !== end) return 'bad-extra';
    p = end;
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      while (p < b.length && b[p] !== 0) p++;
      if (p >= b.length) return 'cut';
      p++;
    }
  }
  if (flags & FHCRC) p += 2;
  if (p > b.length) return 'cut';
  return { dataOffset: p - at, bgzfBlockSize };
}

/**
 * gzip (RFC 1952) and BGZF (SAM spec §4.1: gzip members with a `BC` extra subfield giving the
 * block size, ≤ 64 KiB each, ending with a 28-byte empty block). Inflates the first member, or
 * the first BGZF blocks, with a hard output cap, and sniffs what comes out.
 */
export function sniffGzip(head: Head, sniffLayer: LayerSniffer): Detection[] {
  const b = head.bytes;
  const header = parseHeader(b, 0);
  if (header === 'not-gzip') return [];
  if (head.depth > 0) {
    // One layer only: a gzip inside a gzip is reported, not opened.
    return [
      detection('gzip.member', 'UNKNOWN', 0.9, 0, 'nested gzip member, not opened', {
        hint: 'gzip',
        rank: 0,
      }),
    ];
  }
  if (header === 'cut' && !head.complete) {
    return [
      detection('gzip.header-cut', 'UNKNOWN', 0.9, 0, 'gzip header longer than the bytes read', {
        hint: 'gzip',
        rank: 0,
      }),
    ];
  }
  if (header === 'cut' || header === 'bad-extra') {
    const what = header === 'cut' ? 'object ends inside the gzip header' : 'gzip extra field is inconsistent';
    return [{ ...broken('gzip.header-invalid', 0, what), hint: 'gzip' }];
  }
  return header.bgzfBlockSize !== null && header.bgzfBlockSize >= header.dataOffset + 8
    ? sniffBgzf(head, sniffLayer)
    : sniffGzipMember(head, header, sniffLayer);
}

function sniffGzipMember(head: Head, header: GzipHeader, sniffLayer: LayerSniffer): Detection[] {
  const out: Detection[] = [
    detection('gzip.member', 'UNKNOWN', 0.95, 0, 'gzip magic 1F 8B, deflate, no BGZF subfield', {
      hint: 'gzip',
      rank: 0,
    }),
  ];
  const inflated = inflateRawCapped(head.bytes.subarray(header.dataOffset));
  out.push(...problems(head, inflated, header.dataOffset));
  return [...out, ...inner(inflated, 'gzip', sniffLayer)];
}

function sniffBgzf(head: Head, sniffLayer: LayerSniffer): Detection[] {
  const b = head.bytes;
  const parts: Uint8Array[] = [];
  const out: Detection[] = [];
  let inflated = 0;
  let at = 0;
  let blocks = 0;
  while (at < b.length && inflated < MAX_INFLATED_BYTES) {
    const header = parseHeader(b, at);
    if (header === 'cut') {
      if (head.complete) out.push(broken('bgzf.truncated', at, 'object ends inside a BGZF block header'));
      break;
    }
    if (
      typeof header === 'string' ||
      header.bgzfBlockSize === null ||
      header.bgzfBlockSize < header.dataOffset + 8
    ) {
      out.push(broken('bgzf.block-invalid', at, 'bytes after a BGZF block are not a BGZF block'));
      break;
    }
    const blockEnd = at + header.bgzfBlockSize;
    const whole = blockEnd <= b.length;
    const outcome = inflateRawCapped(
      b.subarray(at + header.dataOffset, Math.min(blockEnd - 8, b.length)),
      MAX_INFLATED_BYTES - inflated,
    );
    blocks++;
    parts.push(outcome.bytes);
    inflated += outcome.bytes.length;
    if (outcome.kind === 'corrupt') {
      out.push(broken('bgzf.corrupt', at, 'invalid deflate data in BGZF block'));
      break;
    }
    if (!whole) {
      if (head.complete) out.push(broken('bgzf.truncated', at, 'object ends inside a BGZF block'));
      break;
    }
    if (outcome.kind === 'partial') {
      if (!outcome.capped)
        out.push(broken('bgzf.corrupt', at, 'BGZF block data ends before its deflate stream'));
      break;
    }
    if (u32le(b, blockEnd - 4) !== outcome.bytes.length) {
      out.push(broken('bgzf.size-mismatch', at, 'BGZF block ISIZE differs from inflated size'));
      break;
    }
    at = blockEnd;
  }
  /**
   * Every visible block inflated completely: the inflated bytes are the whole content. Each
   * `break` above comes before `at` moves past its block, so it leaves `at < b.length`.
   */
  const exhausted = at >= b.length;
  out.unshift(
    detection(
      'bgzf.block',
      'UNKNOWN',
      blocks > 1 ? 0.99 : 0.95,
      0,
      `BGZF: gzip magic 1F 8B with BC extra subfield at 12; ${blocks} block(s) read`,
      { hint: 'bgzf', rank: 0 },
    ),
  );
  if (head.complete) {
    const eofAt = b.length - BGZF_EOF.length;
    out.push(
      hasBytes(b, eofAt, BGZF_EOF)
        ? detection('bgzf.eof', 'UNKNOWN', 1, eofAt, 'BGZF end-of-file marker block', { hint: null, rank: 0 })
        : detection(
            'bgzf.eof-missing',
            'UNKNOWN',
            0.9,
            b.length,
            'no BGZF end-of-file marker at end of object',
            {
              hint: null,
              rank: 0,
            },
          ),
    );
  }
  const all = concat(parts);
  const content: InflateOutcome =
    exhausted && head.complete
      ? { kind: 'complete', bytes: all }
      : { kind: 'partial', bytes: all, capped: true };
  return [...out, ...inner(content, 'bgzf', sniffLayer)];
}

function broken(ruleId: string, offset: number, detail: string): Detection {
  return detection(ruleId, 'UNKNOWN', 0.95, offset, detail, { hint: null, rank: 0 });
}

/** Malformed-stream signals for a plain gzip member: only what the visible bytes prove. */
function problems(head: Head, outcome: InflateOutcome, offset: number): Detection[] {
  if (outcome.kind === 'corrupt')
    return [broken('gzip.corrupt', offset, 'invalid deflate data in gzip member')];
  if (outcome.kind === 'partial' && !outcome.capped && head.complete) {
    return [broken('gzip.truncated', offset, 'gzip deflate stream ends before its end-of-stream')];
  }
  return [];
}

/** Sniffs the inflated bytes and re-labels what is found there as `<layer>/<rule>`. */
function inner(outcome: InflateOutcome, layer: 'gzip' | 'bgzf', sniffLayer: LayerSniffer): Detection[] {
  const total = outcome.kind === 'complete' ? outcome.bytes.length : Number.POSITIVE_INFINITY;
  return sniffLayer(new Head(outcome.bytes, total, 1)).map((d) => ({
    ...d,
    hint: d.hint === null ? null : wrappedHint(d.hint),
    signal: {
      ...d.signal,
      ruleId: `${layer}/${d.signal.ruleId}`,
      detail: `inflated ${layer} layer: ${d.signal.detail}`,
    },
  }));
}

/** BAM and BCF are BGZF by definition; anything else inside gzip gets a `.gz` suffix. */
function wrappedHint(hint: string): string {
  return hint === 'bam' || hint === 'bcf' ? hint : `${hint}.gz`;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
