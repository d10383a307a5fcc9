import { TextDecoder } from 'node:util';
import { DicomRejectedError } from './errors';

/**
 * Specific Character Set (0008,0005) values dcmjs can decode, mirrored from its `encodingMapping`
 * (dcmjs 0.51). dcmjs matches `value.trim().replace(/[_ ]/g, '-').toLowerCase()`; ISO 2022 entries
 * are left out on purpose: dcmjs does not interpret ISO 2022 escape sequences, so text using code
 * extensions would be decoded wrongly.
 */
const DCMJS_DECODERS: Readonly<Record<string, string>> = {
  '': 'iso-8859-1',
  'iso-ir-6': 'iso-8859-1',
  'iso-ir-13': 'shift-jis',
  'iso-ir-100': 'latin1',
  'iso-ir-101': 'iso-8859-2',
  'iso-ir-109': 'iso-8859-3',
  'iso-ir-110': 'iso-8859-4',
  'iso-ir-126': 'iso-ir-126',
  'iso-ir-127': 'iso-ir-127',
  'iso-ir-138': 'iso-ir-138',
  'iso-ir-144': 'iso-ir-144',
  'iso-ir-148': 'iso-ir-148',
  'iso-ir-166': 'tis-620',
  'iso-ir-192': 'utf-8',
  gb18030: 'gb18030',
  gbk: 'gbk',
};

/** One TextDecoder per label, `null` when the runtime has none for it. */
const decoders = new Map<string, TextDecoder | null>();

function decoderFor(label: string): TextDecoder | null {
  let decoder = decoders.get(label);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      decoder = null;
    }
    decoders.set(label, decoder);
  }
  return decoder;
}

/**
 * Checks the raw bytes of a Specific Character Set value the way dcmjs will read them. Throws
 * `UNSUPPORTED_CHARACTER_SET` for multi-valued sets (code extensions), any ISO 2022 set, and sets
 * without a decoder. The detail may name the character set term (a defined term, not PHI).
 */
export function checkSpecificCharacterSet(raw: string, offset: number): string {
  const values = raw.split('\\');
  if (values.length > 1) {
    throw new DicomRejectedError(
      'UNSUPPORTED_CHARACTER_SET',
      `multi-valued Specific Character Set (${values.length} values) at offset ${offset}`,
    );
  }
  const term = (values[0] ?? '').trim();
  const safeTerm = /^[A-Za-z0-9 _-]{0,16}$/.test(term) ? term : '(non-standard term)';
  if (/2022/.test(term)) {
    throw new DicomRejectedError(
      'UNSUPPORTED_CHARACTER_SET',
      `ISO 2022 character set ${safeTerm} at offset ${offset}`,
    );
  }
  const decoder = DCMJS_DECODERS[term.replace(/[_ ]/g, '-').toLowerCase()];
  if (decoder === undefined || decoderFor(decoder) === null) {
    throw new DicomRejectedError(
      'UNSUPPORTED_CHARACTER_SET',
      `no decoder for ${safeTerm} at offset ${offset}`,
    );
  }
  return decoder;
}

/** Decoders where every byte is one character (whitespace bytes: 09–0D, 20, A0). */
const SINGLE_BYTE_DECODERS = new Set([
  'latin1',
  'iso-8859-1',
  'iso-8859-2',
  'iso-8859-3',
  'iso-8859-4',
  'iso-ir-126',
  'iso-ir-127',
  'iso-ir-138',
  'iso-ir-144',
  'iso-ir-148',
  'tis-620',
]);

export function isSingleByteDecoder(label: string): boolean {
  return SINGLE_BYTE_DECODERS.has(label);
}

/** What JavaScript's `\s` matches. */
export function isJsWhitespace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

export function decode(label: string, bytes: Uint8Array): string {
  const decoder = decoderFor(label);
  if (decoder === null) throw new RangeError(`no TextDecoder for ${label}`);
  return decoder.decode(bytes);
}
