import type { ObjectFormat } from '@medlineage/domain';
import { Head } from './bytes';
import { sniffBinaries } from './binary.sniff';
import { DICOM_UIDS, sniffDicom } from './dicom.sniff';
import { sniffDocuments } from './document.sniff';
import { sniffEhr } from './ehr.sniff';
import { sniffGenomics } from './genomics.sniff';
import { sniffGzip } from './gzip.sniff';
import {
  detection,
  EXECUTABLE_THRESHOLD,
  FORMAT_CLAIM_THRESHOLD,
  MAX_HEAD_BYTES,
  type Detection,
  type SniffResult,
} from './signal';

/** Every sniffer, run on every layer: conflicts can only be seen if nothing short-circuits. */
function sniffLayer(head: Head): readonly Detection[] {
  if (head.length === 0) {
    return head.complete
      ? [detection('content.empty', 'UNKNOWN', 1, 0, 'zero-length content', { hint: 'empty', rank: 0 })]
      : [];
  }
  return [
    ...sniffBinaries(head),
    ...sniffGzip(head, sniffLayer),
    ...sniffDicom(head),
    ...sniffGenomics(head),
    ...sniffEhr(head),
    ...sniffDocuments(head),
  ];
}

/**
 * Identifies a format from the first bytes of an object (up to {@link MAX_HEAD_BYTES}; more is
 * ignored) and its total size. Content only: a name or extension is never an input. Never throws;
 * any gzip/BGZF layer is inflated at most once and to at most 64 KiB.
 *
 * **WARNINGS:**
 *  1. Content matching incompatible signatures (a PDF or a zip behind a DICOM-looking prefix, an
 *     ELF or PE in a DICOM preamble) comes back `conflicting` with format UNKNOWN: not a guess.
 *  2. `executable` is set for native code and scripts whatever else matched; refuse those objects.
 */
export function sniff(head: Uint8Array, totalSizeBytes: number): SniffResult {
  const bytes = head.subarray(0, MAX_HEAD_BYTES);
  const total =
    Number.isFinite(totalSizeBytes) && totalSizeBytes >= 0
      ? Math.max(totalSizeBytes, head.length)
      : Number.POSITIVE_INFINITY;
  return resolve(embedded(sniffLayer(new Head(bytes, total, 0))));
}

/**
 * A PDF inside an Encapsulated PDF Storage object (after its file meta group) is what that SOP
 * class promises, not a second format: it is re-labelled as evidence for DICOM.
 */
function embedded(detections: readonly Detection[]): readonly Detection[] {
  const carrier = detections.find(
    (d) => d.signal.format === 'DICOM' && d.mediaStorageSopClassUid === DICOM_UIDS.encapsulatedPdf,
  );
  if (carrier === undefined) return detections;
  return detections.map((d) =>
    d.signal.format === 'PDF' && d.signal.offset > carrier.signal.offset
      ? detection(
          'dicom.encapsulated-pdf',
          'DICOM',
          0.9,
          d.signal.offset,
          `%PDF- at ${d.signal.offset} inside an Encapsulated PDF Storage object`,
          { hint: null, rank: 0 },
        )
      : d,
  );
}

/** DICOMDIR is DICOM; plain text is compatible with every text format. */
const family = (format: ObjectFormat): ObjectFormat => (format === 'DICOMDIR' ? 'DICOM' : format);

const best = (ds: readonly Detection[]): Detection | undefined =>
  ds.reduce<Detection | undefined>(
    (top, d) =>
      top === undefined ||
      d.rank > top.rank ||
      (d.rank === top.rank && d.signal.confidence > top.signal.confidence)
        ? d
        : top,
    undefined,
  );

function resolve(detections: readonly Detection[]): SniffResult {
  const signals = detections.map((d) => d.signal);
  const claims = detections.filter(
    (d) => d.signal.format !== 'UNKNOWN' && d.signal.confidence >= FORMAT_CLAIM_THRESHOLD,
  );
  const families = [...new Set(claims.map((d) => family(d.signal.format)))].filter((f) => f !== 'PLAIN_TEXT');
  const executables = detections.filter(
    (d) => d.executable === true && d.signal.confidence >= EXECUTABLE_THRESHOLD,
  );
  const executable = executables.length > 0;
  const conflicting = families.length > 1 || (executable && families.length > 0);
  if (conflicting) {
    const hints = [
      ...families.map((f) => best(claims.filter((d) => family(d.signal.format) === f))?.hint),
      ...executables.map((d) => d.hint),
    ].filter((h): h is string => typeof h === 'string');
    return {
      format: 'UNKNOWN',
      contentSniff: `conflict:${[...new Set(hints)].sort().join('+')}`,
      signals,
      executable,
      conflicting,
    };
  }
  const top = best(claims);
  const informational = detections.find((d) => d.hint !== null && d.signal.format === 'UNKNOWN');
  const contentSniff = executables[0]?.hint ?? top?.hint ?? informational?.hint ?? 'unknown';
  return {
    format: top?.signal.format ?? 'UNKNOWN',
    contentSniff,
    signals:
      signals.length > 0
        ? signals
        : [
            {
              ruleId: 'content.unrecognised',
              format: 'UNKNOWN',
              confidence: 0,
              offset: 0,
              detail: 'no signature matched',
            },
          ],
    executable,
    conflicting,
  };
}
