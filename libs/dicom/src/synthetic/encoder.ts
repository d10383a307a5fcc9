/**
 * A deliberately naive DICOM encoder for hand-made (often broken) samples: it writes exactly
 * what it is told, including lengths that lie. Not for real files (use dcmjs for those).
 */

export interface Encoding {
  readonly implicit: boolean;
  readonly littleEndian: boolean;
}

export const ENC_EXPLICIT_LE: Encoding = { implicit: false, littleEndian: true };
export const ENC_IMPLICIT_LE: Encoding = { implicit: true, littleEndian: true };
export const ENC_EXPLICIT_BE: Encoding = { implicit: false, littleEndian: false };

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const SPACE_PADDED = new Set([
  'AE',
  'AS',
  'CS',
  'DA',
  'DS',
  'DT',
  'IS',
  'LO',
  'LT',
  'PN',
  'SH',
  'ST',
  'TM',
  'UC',
  'UR',
  'UT',
]);

export const UNDEFINED = 0xffffffff;

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

function u16(value: number, le: boolean): Uint8Array {
  const out = new Uint8Array(2);
  new DataView(out.buffer).setUint16(0, value, le);
  return out;
}

function u32(value: number, le: boolean): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0, le);
  return out;
}

export function tagBytes(tag: number, le: boolean): Uint8Array {
  return concat([u16(tag >>> 16, le), u16(tag & 0xffff, le)]);
}

/** Element header only; `length` is written as given (it may lie). */
export function header(enc: Encoding, tag: number, vr: string, length: number): Uint8Array {
  const le = enc.littleEndian;
  if (enc.implicit) return concat([tagBytes(tag, le), u32(length, le)]);
  if (LONG_VRS.has(vr)) return concat([tagBytes(tag, le), ascii(vr), Uint8Array.of(0, 0), u32(length, le)]);
  return concat([tagBytes(tag, le), ascii(vr), u16(length, le)]);
}

/** A complete element, value padded to even length (space for text VRs, NUL otherwise). */
export function element(enc: Encoding, tag: number, vr: string, value: Uint8Array | string): Uint8Array {
  let bytes = typeof value === 'string' ? ascii(value) : value;
  if (bytes.byteLength % 2 === 1) bytes = concat([bytes, Uint8Array.of(SPACE_PADDED.has(vr) ? 0x20 : 0)]);
  return concat([header(enc, tag, vr, bytes.byteLength), bytes]);
}

export function us(enc: Encoding, tag: number, value: number): Uint8Array {
  return element(enc, tag, 'US', u16(value, enc.littleEndian));
}

export interface ItemOptions {
  readonly undefinedLength?: boolean;
}

/** One sequence item holding the given (already encoded) elements. */
export function item(enc: Encoding, elements: readonly Uint8Array[], options: ItemOptions = {}): Uint8Array {
  const le = enc.littleEndian;
  const content = concat(elements);
  if (options.undefinedLength ?? true) {
    return concat([
      tagBytes(0xfffee000, le),
      u32(UNDEFINED, le),
      content,
      tagBytes(0xfffee00d, le),
      u32(0, le),
    ]);
  }
  return concat([tagBytes(0xfffee000, le), u32(content.byteLength, le), content]);
}

/** A sequence element (VR SQ, or `vr` to store it e.g. as UN) of already encoded items. */
export function sequence(
  enc: Encoding,
  tag: number,
  items: readonly Uint8Array[],
  options: { readonly undefinedLength?: boolean; readonly vr?: string } = {},
): Uint8Array {
  const le = enc.littleEndian;
  const content = concat(items);
  const vr = options.vr ?? 'SQ';
  if (options.undefinedLength ?? true) {
    return concat([header(enc, tag, vr, UNDEFINED), content, tagBytes(0xfffee0dd, le), u32(0, le)]);
  }
  return concat([header(enc, tag, vr, content.byteLength), content]);
}

/** Encapsulated pixel data: offset table entries as given, then one item per fragment. */
export function encapsulated(offsets: readonly number[], fragments: readonly Uint8Array[]): Uint8Array {
  const le = true;
  const table = concat(offsets.map((o) => u32(o, le)));
  return concat([
    header(ENC_EXPLICIT_LE, 0x7fe00010, 'OB', UNDEFINED),
    tagBytes(0xfffee000, le),
    u32(table.byteLength, le),
    table,
    ...fragments.map((f) => concat([tagBytes(0xfffee000, le), u32(f.byteLength, le), f])),
    tagBytes(0xfffee0dd, le),
    u32(0, le),
  ]);
}

export interface Part10Options {
  readonly preamble?: Uint8Array;
  readonly sopClassUid?: string;
  readonly sopInstanceUid?: string;
}

/** File Meta (explicit VR little endian, with group length) for a transfer syntax. */
export function fileMeta(transferSyntaxUid: string, options: Part10Options = {}): Uint8Array {
  const enc = ENC_EXPLICIT_LE;
  const body = concat([
    element(enc, 0x00020001, 'OB', Uint8Array.of(0, 1)),
    element(enc, 0x00020002, 'UI', options.sopClassUid ?? '1.2.840.10008.5.1.4.1.1.7'),
    element(enc, 0x00020003, 'UI', options.sopInstanceUid ?? '2.25.1'),
    element(enc, 0x00020010, 'UI', transferSyntaxUid),
  ]);
  return concat([element(enc, 0x00020000, 'UL', u32(body.byteLength, true)), body]);
}

/** Preamble (zeros unless given) + `DICM` + File Meta + dataset bytes. */
export function part10(transferSyntaxUid: string, dataset: Uint8Array, options: Part10Options = {}): Buffer {
  const preamble = new Uint8Array(128);
  if (options.preamble !== undefined) preamble.set(options.preamble.subarray(0, 128));
  return Buffer.from(concat([preamble, ascii('DICM'), fileMeta(transferSyntaxUid, options), dataset]));
}
