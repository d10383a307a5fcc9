import type {
  BurnedInAnnotation,
  DataClass,
  IntendedUse,
  ObjectFormat,
  Sensitivity,
  VersionRef,
} from '@medlineage/domain';
import type { IsoDuration } from './iso-duration';

/*
 * A classification taxonomy as validated from its JSON document (libs/classification/taxonomy/).
 * Rules are data: which signals they need and what they conclude. Code only evaluates them.
 */

export interface RetentionClass {
  readonly id: string;
  /** ISO 8601 duration without a time part, e.g. `P8Y`, `P6M`, `P90D`. */
  readonly retainFor: string;
  readonly period: IsoDuration;
  /** The period in whole days, rounded up (a year is 365.25 days): what TaxonomyVersionPublished carries. */
  readonly retainForDays: number;
  readonly description: string;
}

/** Defaults for everything classified into one data class; rules may only tighten them. */
export interface ClassProfile {
  readonly sensitivity: Sensitivity;
  readonly phiBearing: boolean;
  readonly retentionClass: string;
  readonly eligibleUses: readonly IntendedUse[];
}

/** Every present condition must hold; a list holds when any of its values matches. */
export interface RuleConditions {
  /** The resolved sniff format. */
  readonly format?: readonly ObjectFormat[];
  /** Any sniff signal claims one of these formats (in any layer). */
  readonly signalFormat?: readonly ObjectFormat[];
  /** Any sniff signal has one of these rule ids, ignoring a `gzip/` or `bgzf/` layer prefix. */
  readonly signal?: readonly string[];
  /** For `signalFormat`/`signal`: the best matching signal's confidence is at least this. @defaultValue 0.5 */
  readonly minSignalConfidence?: number;
  /** For `signalFormat`/`signal`: the best matching signal's confidence is below this. */
  readonly maxSignalConfidence?: number;
  readonly contentSniff?: readonly string[];
  readonly conflicting?: boolean;
  readonly executable?: boolean;
  /** DICOM header facts were supplied. */
  readonly dicom?: boolean;
  /** SOP Class UID equals a prefix or continues it with `.` (arc-wise: `…1.1.2` is not `…1.1.20`). */
  readonly sopClassUidPrefix?: readonly string[];
  /** Modality (0008,0060), case-insensitive. */
  readonly modality?: readonly string[];
  /** Any ImageType (0008,0008) value, case-insensitive. */
  readonly imageType?: readonly string[];
  readonly burnedInAnnotation?: readonly BurnedInAnnotation[];
  /** Body Part Examined (0018,0015), case-insensitive. */
  readonly bodyPartExamined?: readonly string[];
}

/** What a matching rule concludes. A rule without `dataClass` only adjusts attributes. */
export interface RuleEffects {
  readonly dataClass?: DataClass;
  /** Required with `dataClass`: the confidence of the signal the rule emits. */
  readonly confidence?: number;
  /** Used when the DICOM header has no modality. */
  readonly modality?: string;
  /** Raises (never lowers) the sensitivity. */
  readonly sensitivity?: Sensitivity;
  /** `true` marks the object PHI-bearing; `false` is the same as absent (rules only tighten). */
  readonly phiBearing?: boolean;
  /** Used when it retains longer than the class's own. */
  readonly retentionClass?: string;
  /** Intersected with the class's eligible uses. */
  readonly eligibleUses?: readonly IntendedUse[];
  /** Removed from the eligible uses. */
  readonly excludeUses?: readonly IntendedUse[];
}

export interface TaxonomyRule {
  readonly id: string;
  readonly description: string;
  readonly when: RuleConditions;
  readonly then: RuleEffects;
}

export interface Taxonomy {
  readonly taxonomyId: string;
  readonly version: number;
  readonly title: string;
  readonly effectiveFrom: Date;
  readonly retentionClasses: readonly RetentionClass[];
  readonly classes: Readonly<Record<DataClass, ClassProfile>>;
  readonly rules: readonly TaxonomyRule[];
  /** SHA-256 of the document in canonical JSON (sorted keys, no whitespace): formatting does not change it. */
  readonly documentSha256: string;
}

export const taxonomyRef = (t: Taxonomy): VersionRef => ({ id: t.taxonomyId, version: t.version });
