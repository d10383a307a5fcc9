import { createHmac } from 'node:crypto';
import type { DicomAttributes } from '@medlineage/domain';
import type { ParsedDicom } from './parse';

/** Root of DICOM's own registered UIDs (SOP classes, transfer syntaxes…): never remapped. */
const DICOM_ROOT = '1.2.840.10008';

export function isDicomStandardUid(uid: string): boolean {
  return uid === DICOM_ROOT || uid.startsWith(`${DICOM_ROOT}.`);
}

function checkKey(key: Uint8Array): void {
  if (key.byteLength < 32) throw new RangeError('UID pseudonymisation key must be at least 32 bytes');
}

/**
 * Keyed, deterministic UID replacement (PS3.15 "U" action): `2.25.` followed by the decimal value
 * of the first 128 bits of HMAC-SHA256(key, uid). The same UID maps to the same pseudonym in every
 * file and every run with the same key, so references between instances stay consistent; without
 * the key the mapping can't be reversed or recomputed. At most 44 characters (a 2.25 UUID-derived
 * UID). UIDs under 1.2.840.10008 are DICOM's own identifiers and are returned unchanged.
 */
export function pseudonymizeUid(key: Uint8Array, uid: string): string {
  checkKey(key);
  if (isDicomStandardUid(uid)) return uid;
  const digest = createHmac('sha256', key).update(uid, 'utf8').digest();
  return `2.25.${BigInt(`0x${digest.subarray(0, 16).toString('hex')}`).toString(10)}`;
}

/** Year of a DA value, also in the legacy ACR-NEMA form `1995.06.26`; null when not a date. */
export function studyYearOf(studyDate: string | null): number | null {
  if (studyDate === null) return null;
  const match = /^(\d{4})(?:\d{4}|\.\d{2}\.\d{2})?$/.exec(studyDate.trim());
  if (match?.[1] === undefined) return null;
  const year = Number(match[1]);
  return year >= 1800 && year <= 2999 ? year : null;
}

/**
 * The non-identifying header facts that may travel in events: UIDs pseudonymised with `key`, the
 * study date reduced to its year, no patient, person or institution attribute.
 */
export function toDicomAttributes(parsed: ParsedDicom, key: Uint8Array): DicomAttributes {
  checkKey(key);
  return {
    sopClassUid: parsed.sopClassUid,
    transferSyntaxUid: parsed.transferSyntaxUid,
    burnedInAnnotation: parsed.burnedInAnnotation,
    numberOfFrames: parsed.numberOfFrames,
    bodyPartExamined: parsed.bodyPartExamined,
    seriesKey: parsed.uids.series === null ? null : pseudonymizeUid(key, parsed.uids.series),
    instanceKey: parsed.uids.sopInstance === null ? null : pseudonymizeUid(key, parsed.uids.sopInstance),
    manufacturer: parsed.manufacturer,
    manufacturerModelName: parsed.manufacturerModelName,
    stationName: parsed.stationName,
    studyYear: studyYearOf(parsed.studyDate),
  };
}
