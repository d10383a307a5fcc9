import type { BurnedInAnnotation } from '@medlineage/domain';
import { data as dcmjsData, type DcmjsDataset, type DcmjsDicomDict } from 'dcmjs';
import { DicomRejectedError } from './errors';
import { resolveLimits, type DicomLimits } from './limits';
import {
  IMPLICIT_VR_LITTLE_ENDIAN,
  datasetEncoding,
  inflateDataset,
  isDeflated,
  locatePart10,
  scanFileMeta,
} from './part10';
import { DatasetScanner, EXPLICIT_LE, type ScanResult, type UnSequence } from './prescan';
import { collectIdentity, firstString, sequenceItems, stringValues } from './values';

/**
 * What ingestion needs from a DICOM header, as plain data. `identity` and `uids` are identifying:
 * callers seal them (see `sealEnvelope`) and never put them in an event in clear; everything else
 * is non-identifying header facts (see `toDicomAttributes`).
 */
export interface ParsedDicom {
  readonly sopClassUid: string;
  /** As declared in File Meta (a deflated file keeps its deflated syntax here). */
  readonly transferSyntaxUid: string;
  readonly modality: string | null;
  readonly bodyPartExamined: string | null;
  /** (0028,0301); absent or any other value is UNKNOWN. */
  readonly burnedInAnnotation: BurnedInAnnotation;
  /** (0028,0008) when present and a non-negative integer. */
  readonly numberOfFrames: number | null;
  readonly imageType: readonly string[];
  readonly manufacturer: string | null;
  readonly manufacturerModelName: string | null;
  readonly stationName: string | null;
  /** Raw DA value, e.g. `20240131` or the legacy ACR-NEMA `1995.06.26`. */
  readonly studyDate: string | null;
  /** Real (not pseudonymised) UIDs. */
  readonly uids: {
    readonly study: string | null;
    readonly series: string | null;
    readonly sopInstance: string | null;
  };
  /**
   * Every identifying value found, at any depth, keyed by path (`PatientName`,
   * `RequestAttributesSequence[0].RequestedProcedureID`, `0019,"CREATOR",10`). PN values are kept
   * as written (`Family^Given=…`); other strings are trimmed of DICOM padding.
   */
  readonly identity: Readonly<Record<string, string>>;
  readonly hasPrivateTags: boolean;
  /** Data elements at every depth (File Meta excluded). */
  readonly elementCount: number;
  readonly maxSequenceDepth: number;
  readonly sizeBytes: number;
}

export interface ParseDicomOptions {
  readonly limits?: Partial<DicomLimits>;
}

/**
 * Parses a DICOM Part 10 file with dcmjs, behind a structural pre-scan that rejects anything that
 * could make dcmjs allocate or loop out of proportion ({@link DicomRejectedError}, never another
 * error type for bad input). Synchronous and CPU-bound: run it in a worker for isolation.
 *
 * Order: size → Part 10 header and preamble → File Meta and transfer syntax → (inflate) →
 * pre-scan of the whole dataset → dcmjs on the raw dictionary → UN sequences → extraction.
 */
export function parseDicom(bytes: Uint8Array, options: ParseDicomOptions = {}): ParsedDicom {
  const limits = resolveLimits(options.limits);
  if (bytes.byteLength > limits.maxBytes) {
    throw new DicomRejectedError(
      'SIZE_LIMIT_EXCEEDED',
      `input of ${bytes.byteLength} bytes (limit ${limits.maxBytes})`,
    );
  }
  const part10 = locatePart10(bytes);
  const meta = scanFileMeta(part10.bytes, limits);
  let work = part10.bytes;
  let owned = part10.owned;
  let encoding = datasetEncoding(meta.transferSyntaxUid);
  if (isDeflated(meta.transferSyntaxUid)) {
    work = inflateDataset(work, meta, limits);
    owned = true;
    encoding = EXPLICIT_LE;
  }

  const scan = new DatasetScanner(work, limits).scan(meta.metaEnd, encoding);
  if (scan.patches.length > 0) {
    if (!owned) work = new Uint8Array(work);
    for (const patch of scan.patches) work.set(patch.bytes, patch.offset);
  }

  const dicom = readWithDcmjs(exactArrayBuffer(work.subarray(0, scan.datasetEnd)), {
    // Nothing after top-level Pixel Data but padding: dcmjs can stop there.
    untilTag: scan.pixelDataOffset !== null && !scan.elementsAfterPixelData ? '7FE00010' : null,
  });
  for (const record of scan.unSequences) spliceUnSequence(dicom.dict, record, work);
  return extract(dicom, scan, meta.transferSyntaxUid, bytes.byteLength);
}

/** An ArrayBuffer holding exactly these bytes (dcmjs reads `buffer.buffer` when given a view). */
function exactArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const buffer = bytes.buffer;
  // Tag check rather than instanceof: buffers may come from another realm (worker, vm, jest).
  if (isArrayBuffer(buffer) && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength)
    return buffer;
  return new Uint8Array(bytes).buffer;
}

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

/** dcmjs messages known to carry no element values; anything else is reported by type only. */
const SAFE_DCMJS_MESSAGES = [
  /^Invalid tag in sequence$/,
  /^Item tag not found after undefined binary length$/,
  /^SequenceDelimiterItem tag value was not zero$/,
  /^Request more than currently allocated buffer$/,
  /^Offset is outside the bounds of the DataView$/,
  /^Maximum call stack size exceeded$/,
  /^Invalid DICOM file, .*$/,
  /^Finding view is past end of input for start=\d+/,
];

function readWithDcmjs(buffer: ArrayBuffer, options: { untilTag: string | null }): DcmjsDicomDict {
  try {
    return dcmjsData.DicomMessage.readFile(buffer, { ...options, noCopy: true, ignoreErrors: false });
  } catch (error) {
    throw dcmjsFailure(error);
  }
}

function property(error: unknown, key: 'name' | 'message'): string {
  if (typeof error !== 'object' || error === null || !(key in error)) return '';
  const value: unknown = (error as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : '';
}

function dcmjsFailure(error: unknown): DicomRejectedError {
  if (error instanceof DicomRejectedError) return error;
  const name = property(error, 'name') || typeof error;
  const message = property(error, 'message');
  const safe = SAFE_DCMJS_MESSAGES.find((pattern) => pattern.test(message));
  const cut = message.indexOf(' where offsets=');
  const shown = safe === undefined ? '' : `: ${cut === -1 ? message : message.slice(0, cut)}`;
  return new DicomRejectedError('MALFORMED', `dcmjs could not read the dataset (${name}${shown})`);
}

const UN_WRAPPER_TAG = Uint8Array.of(0x09, 0x00, 0x00, 0x10, 0xff, 0xff, 0xff, 0xff);

/**
 * Decodes the items of a sequence stored as UN: they are Implicit VR Little Endian, so they are
 * wrapped as an undefined-length private sequence in an implicit VR Part 10 buffer and read with
 * dcmjs (the pre-scan already validated them). The result replaces the opaque value in `dict`.
 */
function spliceUnSequence(dict: DcmjsDataset, record: UnSequence, work: Uint8Array): void {
  const content = work.subarray(record.contentStart, record.itemsEnd);
  const ts = `${IMPLICIT_VR_LITTLE_ENDIAN}\0`;
  const metaElement = 8 + ts.length;
  const wrapper = new Uint8Array(132 + 12 + metaElement + UN_WRAPPER_TAG.length + content.byteLength + 8);
  const view = new DataView(wrapper.buffer);
  wrapper.set([0x44, 0x49, 0x43, 0x4d], 128);
  let p = 132;
  wrapper.set([0x02, 0x00, 0x00, 0x00, 0x55, 0x4c, 0x04, 0x00], p);
  view.setUint32(p + 8, metaElement, true);
  p += 12;
  wrapper.set([0x02, 0x00, 0x10, 0x00, 0x55, 0x49], p);
  view.setUint16(p + 6, ts.length, true);
  for (let i = 0; i < ts.length; i++) wrapper[p + 8 + i] = ts.charCodeAt(i);
  p += metaElement;
  wrapper.set(UN_WRAPPER_TAG, p);
  p += UN_WRAPPER_TAG.length;
  wrapper.set(content, p);
  p += content.byteLength;
  wrapper.set([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0], p);

  const items = readWithDcmjs(wrapper.buffer, { untilTag: null }).dict['00091000']?.Value;
  let dataset = dict;
  for (const step of record.path) {
    const item = sequenceItems(dataset[step.key])[step.item];
    if (item === undefined)
      throw new DicomRejectedError('MALFORMED', `sequence stored as UN at ${record.key} not found`);
    dataset = item;
  }
  dataset[record.key] = { vr: 'SQ', Value: Array.isArray(items) ? items : [] };
}

function burnedIn(value: string | null): BurnedInAnnotation {
  const normalised = value?.toUpperCase();
  return normalised === 'YES' || normalised === 'NO' ? normalised : 'UNKNOWN';
}

function nonNegativeInteger(value: string | null): number | null {
  if (value === null || !/^\+?\d{1,9}$/.test(value)) return null;
  return Number(value);
}

function extract(
  dicom: DcmjsDicomDict,
  scan: ScanResult,
  transferSyntaxUid: string,
  sizeBytes: number,
): ParsedDicom {
  const ds = dicom.dict;
  const sopClassUid = firstString(ds, '00080016') ?? firstString(dicom.meta, '00020002');
  if (sopClassUid === null) {
    throw new DicomRejectedError('MALFORMED', 'no SOP Class UID in the dataset or the File Meta');
  }
  return {
    sopClassUid,
    transferSyntaxUid,
    modality: firstString(ds, '00080060'),
    bodyPartExamined: firstString(ds, '00180015'),
    burnedInAnnotation: burnedIn(firstString(ds, '00280301')),
    numberOfFrames: nonNegativeInteger(firstString(ds, '00280008')),
    imageType: stringValues(ds['00080008']).filter((v) => v !== ''),
    manufacturer: firstString(ds, '00080070'),
    manufacturerModelName: firstString(ds, '00081090'),
    stationName: firstString(ds, '00081010'),
    studyDate: firstString(ds, '00080020'),
    uids: {
      study: firstString(ds, '0020000D'),
      series: firstString(ds, '0020000E'),
      sopInstance: firstString(ds, '00080018') ?? firstString(dicom.meta, '00020003'),
    },
    identity: collectIdentity(ds),
    hasPrivateTags: scan.hasPrivateTags,
    elementCount: scan.elementCount,
    maxSequenceDepth: scan.maxSequenceDepth,
    sizeBytes,
  };
}
