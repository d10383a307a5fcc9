import { inflateRawSync } from 'node:zlib';
import { vrFromCode } from './dictionary';
import { trimTrailingPadding } from './values';
import { DicomRejectedError } from './errors';
import type { DicomLimits } from './limits';
import { DatasetScanner, EXPLICIT_BE, EXPLICIT_LE, IMPLICIT_LE, type DatasetEncoding } from './prescan';

/** Offset of `DICM` after the 128-byte preamble. */
const MAGIC_OFFSET = 128;
/** First File Meta element: (0002,0000) UL, length 4. */
const META_START = 132;
const META_GROUP_LENGTH_HEADER = Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x55, 0x4c, 0x04, 0x00);

export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
/** JPIP Referenced Deflate: also a deflated explicit VR little endian dataset. */
export const JPIP_REFERENCED_DEFLATE = '1.2.840.10008.1.2.4.95';
const DEFLATED_SYNTAXES = new Set([DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, JPIP_REFERENCED_DEFLATE]);

const UID_PATTERN = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

export function isValidUid(value: string): boolean {
  return value.length > 0 && value.length <= 64 && UID_PATTERN.test(value);
}

export interface Part10Input {
  /** Starts with the preamble and `DICM` (synthesised when the input had no preamble). */
  readonly bytes: Uint8Array;
  /** `bytes` is a private copy that may be patched. */
  readonly owned: boolean;
  readonly hadPreamble: boolean;
}

/**
 * Finds the Part 10 header. Accepted: `DICM` at offset 128 (the standard layout), or a File Meta
 * group starting at offset 0 with no preamble at all (written by some tools; a zero preamble is
 * synthesised, at the cost of one copy). A bare dataset without File Meta is NOT_DICOM: its
 * transfer syntax would have to be guessed.
 */
export function locatePart10(input: Uint8Array): Part10Input {
  const n = input.byteLength;
  if (n >= META_START && hasMagic(input)) {
    checkPreamble(input);
    return { bytes: input, owned: false, hadPreamble: true };
  }
  if (n >= META_GROUP_LENGTH_HEADER.length && META_GROUP_LENGTH_HEADER.every((b, i) => input[i] === b)) {
    const bytes = new Uint8Array(META_START + n);
    bytes.set([0x44, 0x49, 0x43, 0x4d], MAGIC_OFFSET);
    bytes.set(input, META_START);
    return { bytes, owned: true, hadPreamble: false };
  }
  throw new DicomRejectedError(
    'NOT_DICOM',
    `no DICM marker at offset ${MAGIC_OFFSET} and no File Meta at offset 0`,
  );
}

function hasMagic(bytes: Uint8Array): boolean {
  return (
    bytes[MAGIC_OFFSET] === 0x44 &&
    bytes[MAGIC_OFFSET + 1] === 0x49 &&
    bytes[MAGIC_OFFSET + 2] === 0x43 &&
    bytes[MAGIC_OFFSET + 3] === 0x4d
  );
}

/** Executable headers a polyglot preamble can carry (CVE-2019-11687). TIFF headers are legitimate. */
const EXECUTABLE_SIGNATURES: readonly { name: string; bytes: readonly number[] }[] = [
  { name: 'PE/MZ', bytes: [0x4d, 0x5a] },
  { name: 'ELF', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { name: 'Mach-O', bytes: [0xfe, 0xed, 0xfa, 0xce] },
  { name: 'Mach-O', bytes: [0xfe, 0xed, 0xfa, 0xcf] },
  { name: 'Mach-O', bytes: [0xce, 0xfa, 0xed, 0xfe] },
  { name: 'Mach-O', bytes: [0xcf, 0xfa, 0xed, 0xfe] },
  { name: 'Mach-O universal', bytes: [0xca, 0xfe, 0xba, 0xbe] },
  { name: 'script (#!)', bytes: [0x23, 0x21] },
];

function checkPreamble(bytes: Uint8Array): void {
  for (const signature of EXECUTABLE_SIGNATURES) {
    if (signature.bytes.every((b, i) => bytes[i] === b)) {
      throw new DicomRejectedError('EXECUTABLE_PREAMBLE', `preamble starts with a ${signature.name} header`);
    }
  }
}

export interface FileMeta {
  /** Offset of the first dataset byte. */
  readonly metaEnd: number;
  readonly transferSyntaxUid: string;
  readonly transferSyntaxValueOffset: number;
  readonly transferSyntaxValueLength: number;
}

/**
 * Walks the File Meta group (always explicit VR little endian) exactly as dcmjs will: it must
 * start with (0002,0000) UL giving the group's length, and every element in that length must be
 * group 0002 with a defined length.
 */
export function scanFileMeta(bytes: Uint8Array, limits: DicomLimits): FileMeta {
  const n = bytes.byteLength;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (n < META_START + 12)
    throw new DicomRejectedError('TRUNCATED', 'input ends inside the File Meta header');
  if (!META_GROUP_LENGTH_HEADER.every((b, i) => bytes[META_START + i] === b)) {
    throw new DicomRejectedError('MALFORMED', 'File Meta does not start with (0002,0000) UL group length');
  }
  const groupLength = view.getUint32(META_START + 8, true);
  const start = META_START + 12;
  if (groupLength > n - start) {
    throw new DicomRejectedError(
      'TRUNCATED',
      `File Meta group of ${groupLength} bytes runs past the end of the input`,
    );
  }
  const metaEnd = start + groupLength;
  let transferSyntax: { offset: number; length: number } | null = null;
  let p = start;
  while (p < metaEnd) {
    if (p + 8 > metaEnd)
      throw new DicomRejectedError('MALFORMED', `File Meta element header at offset ${p} is cut`);
    const group = view.getUint16(p, true);
    const element = view.getUint16(p + 2, true);
    if (group !== 0x0002) {
      throw new DicomRejectedError(
        'MALFORMED',
        `element of group ${group.toString(16)} inside File Meta at offset ${p}`,
      );
    }
    const vr = vrFromCode(view.getUint16(p + 4, false));
    if (vr === undefined || vr.kind === 'sequence' || vr.name === 'UN') {
      throw new DicomRejectedError('MALFORMED', `invalid VR in File Meta at offset ${p}`);
    }
    let length: number;
    let valueStart: number;
    if (vr.longLength) {
      if (p + 12 > metaEnd)
        throw new DicomRejectedError('MALFORMED', `File Meta element header at offset ${p} is cut`);
      length = view.getUint32(p + 8, true);
      valueStart = p + 12;
    } else {
      length = view.getUint16(p + 6, true);
      valueStart = p + 8;
    }
    if (length > metaEnd - valueStart) {
      throw new DicomRejectedError(
        'MALFORMED',
        `File Meta element at offset ${p} runs past the File Meta group`,
      );
    }
    if (element === 0x0010) transferSyntax = { offset: valueStart, length };
    p = valueStart + length;
  }
  if (transferSyntax === null)
    throw new DicomRejectedError('MALFORMED', 'File Meta has no Transfer Syntax UID');
  // Same element rules as the dataset (value sizes, order, limits): dcmjs reads File Meta the same way.
  new DatasetScanner(bytes, limits).scanRegion(start, metaEnd, EXPLICIT_LE);
  let raw = '';
  for (let i = 0; i < transferSyntax.length; i++)
    raw += String.fromCharCode(bytes[transferSyntax.offset + i] ?? 0);
  const uid = trimTrailingPadding(raw);
  if (
    !isValidUid(uid) ||
    !(uid === IMPLICIT_VR_LITTLE_ENDIAN || uid.startsWith(`${IMPLICIT_VR_LITTLE_ENDIAN}.`))
  ) {
    throw new DicomRejectedError(
      'UNSUPPORTED_TRANSFER_SYNTAX',
      isValidUid(uid)
        ? `transfer syntax ${uid} is not a DICOM standard one`
        : 'transfer syntax is not a valid UID',
    );
  }
  return {
    metaEnd,
    transferSyntaxUid: uid,
    transferSyntaxValueOffset: transferSyntax.offset,
    transferSyntaxValueLength: transferSyntax.length,
  };
}

export function isDeflated(transferSyntaxUid: string): boolean {
  return DEFLATED_SYNTAXES.has(transferSyntaxUid);
}

/** The byte layout dcmjs reads the dataset with (it treats every other syntax as explicit LE). */
export function datasetEncoding(transferSyntaxUid: string): DatasetEncoding {
  if (transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN) return IMPLICIT_LE;
  if (transferSyntaxUid === EXPLICIT_VR_BIG_ENDIAN) return EXPLICIT_BE;
  return EXPLICIT_LE;
}

/**
 * Inflates a deflated dataset with an output cap (zip bomb guard) and returns a new Part 10
 * buffer whose File Meta says explicit VR little endian, so dcmjs reads the inflated bytes as is.
 */
export function inflateDataset(bytes: Uint8Array, meta: FileMeta, limits: DicomLimits): Uint8Array {
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(bytes.subarray(meta.metaEnd), {
      maxOutputLength: Math.max(1, limits.maxInflatedBytes),
    });
  } catch (error) {
    // zlib errors come from Node's realm: no instanceof (it fails across vm contexts, e.g. jest).
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DicomRejectedError(
        'SIZE_LIMIT_EXCEEDED',
        `deflated dataset inflates past ${limits.maxInflatedBytes} bytes`,
      );
    }
    if (code === 'Z_BUF_ERROR') throw new DicomRejectedError('TRUNCATED', 'deflated dataset ends early');
    throw new DicomRejectedError('MALFORMED', 'deflated dataset is not a valid raw deflate stream');
  }
  const out = new Uint8Array(meta.metaEnd + inflated.byteLength);
  out.set(bytes.subarray(0, meta.metaEnd), 0);
  out.set(inflated, meta.metaEnd);
  // Same value length, NUL-padded: dcmjs strips the padding.
  const replacement = new Uint8Array(meta.transferSyntaxValueLength);
  for (let i = 0; i < EXPLICIT_VR_LITTLE_ENDIAN.length; i++)
    replacement[i] = EXPLICIT_VR_LITTLE_ENDIAN.charCodeAt(i);
  out.set(replacement, meta.transferSyntaxValueOffset);
  return out;
}
