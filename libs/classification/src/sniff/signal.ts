import type { ObjectFormat } from '@medlineage/domain';

/**
 * One observation made by a sniffer rule. `detail` names signatures and offsets only: it is
 * recorded in events and must never quote content (file names, identifiers, free text).
 */
export interface FormatSignal {
  readonly ruleId: string;
  /** The format this observation claims, or UNKNOWN for framing and informational observations. */
  readonly format: ObjectFormat;
  /** 0..1. Format claims below {@link FORMAT_CLAIM_THRESHOLD} are hints and never conflict. */
  readonly confidence: number;
  /** Byte offset of the signature, in the layer it was found in (see `detail` for inflated layers). */
  readonly offset: number;
  readonly detail: string;
}

export interface SniffResult {
  /** UNKNOWN when nothing matched, or when the content matches incompatible signatures. */
  readonly format: ObjectFormat;
  /** Short hint such as 'dicom-part10', 'bam', 'vcf.gz', 'fhir+ndjson', 'conflict:pdf+dicom-raw'. */
  readonly contentSniff: string;
  readonly signals: readonly FormatSignal[];
  /** Native code or a script: the gateway must refuse it whatever else it looks like. */
  readonly executable: boolean;
  /** Two incompatible format claims (a polyglot or a disguise): never guess between them. */
  readonly conflicting: boolean;
}

/** A sniffer looks at no more than this many leading bytes; callers pass up to this much. */
export const MAX_HEAD_BYTES = 64 * 1024;

/** Hard cap on bytes inflated from a gzip/BGZF layer, whatever the input (zip-bomb safe). */
export const MAX_INFLATED_BYTES = 64 * 1024;

/** Format claims at or above this confidence take part in format resolution and conflicts. */
export const FORMAT_CLAIM_THRESHOLD = 0.5;

/** Executable signals at or above this confidence set `executable`. */
export const EXECUTABLE_THRESHOLD = 0.8;

/**
 * Internal: a signal plus what resolution needs. `rank` orders compatible claims by how
 * specific they are: 0 generic text, 1 a kind of text (JSON, XML, CSV, SAM), 2 a format,
 * 3 a refinement of a format (DICOMDIR over DICOM).
 */
export interface Detection {
  readonly signal: FormatSignal;
  readonly hint: string | null;
  readonly rank: number;
  readonly executable?: boolean;
  /** DICOM Media Storage SOP Class UID, when the file meta group shows it. */
  readonly mediaStorageSopClassUid?: string;
}

/** Rounds a confidence to 3 decimals so that events and test expectations stay readable. */
export const confidence = (value: number): number =>
  Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;

export function detection(
  ruleId: string,
  format: ObjectFormat,
  conf: number,
  offset: number,
  detail: string,
  extra: Omit<Detection, 'signal'>,
): Detection {
  return { signal: { ruleId, format, confidence: confidence(conf), offset, detail }, ...extra };
}
