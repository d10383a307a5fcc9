/**
 * Bounds checked by the structural pre-scan before dcmjs sees a byte. dcmjs reads a whole buffer
 * into JS objects, so every bound here is also a bound on its memory and time.
 */
export interface DicomLimits {
  /** Input size (after nothing: checked first). */
  readonly maxBytes: number;
  /** Data elements at every depth, plus encapsulated pixel fragments and offset table entries. */
  readonly maxElements: number;
  /** Sequence items at every depth (dcmjs spends ~20 µs on each: a new stream and decoder). */
  readonly maxItems: number;
  /** Deepest sequence nesting (a top-level SQ's items are at depth 1). */
  readonly maxSequenceDepth: number;
  /** Largest single element other than Pixel Data (7FE0,0008/0009/0010), e.g. a private OB blob. */
  readonly maxElementBytes: number;
  /**
   * Sum of the lengths of all text and binary-number elements: dcmjs turns these into JS strings
   * and number arrays (up to ~20× the bytes for many short values), char by char for ASCII VRs.
   */
  readonly maxValueBytes: number;
  /**
   * Sum over all sequence items of their content length (a byte inside k nested items counts k
   * times): dcmjs copies every item's bytes and rescans undefined-length items once per level.
   */
  readonly maxNestedBytes: number;
  /** Output cap when inflating a Deflated Explicit VR Little Endian dataset (zip bomb guard). */
  readonly maxInflatedBytes: number;
}

const MiB = 1024 * 1024;

/**
 * Defaults sized so that no single bound costs much more than ~0.5 s or ~200 MiB on one core.
 * Measured worst cases just under each bound (2-core EPYC, Node 20; see
 * libs/dicom/bench/guard-worst-case.ts): 99,990 elements 0.48 s; 19,990 items 0.39 s; 4 MiB of
 * one-byte DS values 0.47 s and +180 MiB; 31 MiB under 31 undefined-length items 0.47 s; 63 MiB
 * inflated 0.14 s; all bounds at once (80k elements, 15k items, 3 MiB values, 24 MiB nested)
 * 1.1 s and +130 MiB. Larger objects (whole-slide images, RT structure sets with tens of MB of
 * contours, very long enhanced multi-frame series) need raised limits or a streaming path.
 */
export const DEFAULT_DICOM_LIMITS: DicomLimits = {
  maxBytes: 256 * MiB,
  maxElements: 100_000,
  maxItems: 20_000,
  maxSequenceDepth: 32,
  maxElementBytes: 64 * MiB,
  maxValueBytes: 4 * MiB,
  maxNestedBytes: 32 * MiB,
  maxInflatedBytes: 64 * MiB,
};

/** Upper bound on `maxSequenceDepth` (the pre-scan recurses once per level). */
export const MAX_SEQUENCE_DEPTH_CEILING = 1_000;

export function resolveLimits(overrides: Partial<DicomLimits> | undefined): DicomLimits {
  const limits = { ...DEFAULT_DICOM_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`DICOM limit ${name} must be a non-negative safe integer`);
    }
  }
  if (limits.maxSequenceDepth > MAX_SEQUENCE_DEPTH_CEILING) {
    throw new RangeError(`DICOM limit maxSequenceDepth must be at most ${MAX_SEQUENCE_DEPTH_CEILING}`);
  }
  return limits;
}
