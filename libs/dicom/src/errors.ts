/**
 * Why a DICOM input was refused. Stable codes for quarantine reasons, dead letters and metrics.
 *
 * - `NOT_DICOM`: no Part 10 header (`DICM` at offset 128, or a bare File Meta group at offset 0).
 * - `EXECUTABLE_PREAMBLE`: the 128-byte preamble starts like a PE, ELF or Mach-O executable, or
 *   a `#!` script (polyglot files, CVE-2019-11687).
 * - `TRUNCATED`: an element, item or the File Meta group runs past the end of the input.
 * - `SIZE_LIMIT_EXCEEDED`: a {@link DicomLimits} bound was hit (input size, element count, nesting,
 *   element size, decoded value bytes, nested bytes, inflated size).
 * - `UN_SEQUENCE`: a sequence stored as VR UN whose content is not Implicit VR Little Endian items,
 *   so it cannot be read safely.
 * - `UNSUPPORTED_TRANSFER_SYNTAX`: a transfer syntax outside the DICOM `1.2.840.10008.1.2` family or
 *   not a syntactically valid UID.
 * - `UNSUPPORTED_CHARACTER_SET`: a multi-valued or ISO 2022 Specific Character Set, or one that has
 *   no decoder.
 * - `MALFORMED`: anything else that is structurally wrong, including every failure inside dcmjs.
 */
export type DicomRejectionCode =
  | 'NOT_DICOM'
  | 'EXECUTABLE_PREAMBLE'
  | 'TRUNCATED'
  | 'SIZE_LIMIT_EXCEEDED'
  | 'UN_SEQUENCE'
  | 'UNSUPPORTED_TRANSFER_SYNTAX'
  | 'UNSUPPORTED_CHARACTER_SET'
  | 'MALFORMED';

export const DICOM_REJECTION_CODES: readonly DicomRejectionCode[] = [
  'NOT_DICOM',
  'EXECUTABLE_PREAMBLE',
  'TRUNCATED',
  'SIZE_LIMIT_EXCEEDED',
  'UN_SEQUENCE',
  'UNSUPPORTED_TRANSFER_SYNTAX',
  'UNSUPPORTED_CHARACTER_SET',
  'MALFORMED',
];

/**
 * A DICOM input that will never parse: the same bytes always give the same answer, so callers
 * quarantine or dead-letter, they never retry. The detail names tags, offsets and sizes only, never
 * an element value (which may be PHI), and the original error is deliberately not kept as `cause`.
 */
export class DicomRejectedError extends Error {
  readonly retriable = false;
  constructor(
    readonly code: DicomRejectionCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'DicomRejectedError';
  }
}

export function isDicomRejectedError(error: unknown): error is DicomRejectedError {
  return error instanceof DicomRejectedError;
}
