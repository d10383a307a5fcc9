import {
  CLASSIFICATION_CONFIDENCE_THRESHOLD,
  INTENDED_USES,
  SENSITIVITIES,
  type BurnedInAnnotation,
  type ClassificationAttributes,
  type ClassificationSignal,
  type DataClass,
  type DicomAttributes,
  type IntendedUse,
  type ObjectFormat,
  type ResidencyRegion,
  type Sensitivity,
  type VersionRef,
} from '@medlineage/domain';
import type { SniffResult } from '../sniff/signal';
import { DEFAULT_TAXONOMY } from '../taxonomy/default-taxonomy';
import { addRetention } from '../taxonomy/iso-duration';
import {
  taxonomyRef,
  type ClassProfile,
  type RetentionClass,
  type RuleConditions,
  type Taxonomy,
  type TaxonomyRule,
} from '../taxonomy/taxonomy';

/** Header facts of a parsed DICOM object, as the DICOM reader supplies them. */
export interface DicomFacts {
  readonly sopClassUid: string | null;
  readonly modality: string | null;
  readonly bodyPartExamined: string | null;
  readonly imageType: readonly string[];
  readonly burnedInAnnotation: BurnedInAnnotation;
  readonly attributes: DicomAttributes;
}

export interface ClassificationInput {
  readonly sniff: SniffResult;
  readonly dicom: DicomFacts | null;
  /** Where the ingesting site's data legally resides (from the site → region map; UNKNOWN if unmapped). */
  readonly siteResidency: ResidencyRegion;
  /** Business time of the classification: retention runs from here. */
  readonly at: Date;
}

/** Everything a `ClassifyObject` command needs besides its envelope (type, objectId, at, actor, reviewId). */
export interface ClassificationOutcome {
  readonly taxonomy: VersionRef;
  readonly signals: ClassificationSignal[];
  readonly attributes: ClassificationAttributes;
  /** Every rule that matched, in taxonomy order, including rules that only adjust attributes. */
  readonly matchedRuleIds: string[];
}

/** Minimum signal confidence for `signalFormat`/`signal` conditions when a rule does not say. */
export const DEFAULT_MIN_SIGNAL_CONFIDENCE = 0.5;
const LAYER_PREFIX = /^(gzip|bgzf)\//;

/**
 * Evaluates the taxonomy's rules on sniffed content and DICOM header facts. Rules with a data
 * class become signals for the domain's decider, which settles a class only when every strong
 * signal agrees; attributes start from the profiles of the signalled classes and are only ever
 * tightened by rules (highest sensitivity, PHI if any says so, longest retention, fewest uses).
 *
 * **WARNING:** content whose sniff is `conflicting` or `executable` never settles automatically:
 * unless strong signals already disagree (which the decider reports as CONFLICTING_SIGNALS),
 * its signals are capped just below the strong threshold, so the decider asks for review.
 */
export function classify(
  input: ClassificationInput,
  taxonomy: Taxonomy = DEFAULT_TAXONOMY,
): ClassificationOutcome {
  const matched = taxonomy.rules.filter((r) => matches(r.when, input));
  const signals = guard(
    matched.flatMap((r): ClassificationSignal[] =>
      r.then.dataClass !== undefined && r.then.confidence !== undefined
        ? [{ ruleId: r.id, dataClass: r.then.dataClass, confidence: r.then.confidence }]
        : [],
    ),
    input.sniff,
  );
  return {
    taxonomy: taxonomyRef(taxonomy),
    signals,
    attributes: attributesFor(input, taxonomy, matched, signals),
    matchedRuleIds: matched.map((r) => r.id),
  };
}

const anyOf = (wanted: readonly string[] | undefined, value: string | null | undefined): boolean =>
  wanted === undefined ||
  (value !== null &&
    value !== undefined &&
    wanted.some((w) => w.toUpperCase() === value.trim().toUpperCase()));

const uidUnder = (uid: string, prefix: string): boolean => uid === prefix || uid.startsWith(`${prefix}.`);

function matches(w: RuleConditions, input: ClassificationInput): boolean {
  const { sniff, dicom } = input;
  if (w.format && !w.format.includes(sniff.format)) return false;
  if (w.contentSniff && !w.contentSniff.includes(sniff.contentSniff)) return false;
  if (w.conflicting !== undefined && w.conflicting !== sniff.conflicting) return false;
  if (w.executable !== undefined && w.executable !== sniff.executable) return false;
  if (w.dicom !== undefined && w.dicom !== (dicom !== null)) return false;
  if (w.signalFormat || w.signal) {
    const evidence = sniff.signals
      .filter(
        (s) =>
          (w.signalFormat === undefined || w.signalFormat.includes(s.format)) &&
          (w.signal === undefined || w.signal.includes(s.ruleId.replace(LAYER_PREFIX, ''))),
      )
      .reduce((best, s) => Math.max(best, s.confidence), -1);
    const min = w.minSignalConfidence ?? DEFAULT_MIN_SIGNAL_CONFIDENCE;
    if (evidence < min || (w.maxSignalConfidence !== undefined && evidence >= w.maxSignalConfidence))
      return false;
  }
  const dicomTests =
    w.sopClassUidPrefix || w.modality || w.imageType || w.burnedInAnnotation || w.bodyPartExamined;
  if (dicomTests) {
    if (dicom === null) return false;
    const sop = dicom.sopClassUid?.trim() ?? '';
    if (w.sopClassUidPrefix && !w.sopClassUidPrefix.some((p) => uidUnder(sop, p))) return false;
    if (!anyOf(w.modality, dicom.modality)) return false;
    if (!anyOf(w.bodyPartExamined, dicom.bodyPartExamined)) return false;
    if (w.imageType && !dicom.imageType.some((v) => anyOf(w.imageType, v))) return false;
    if (w.burnedInAnnotation && !w.burnedInAnnotation.includes(dicom.burnedInAnnotation)) return false;
  }
  return true;
}

const isStrong = (s: ClassificationSignal): boolean =>
  s.dataClass !== 'UNKNOWN' && s.confidence >= CLASSIFICATION_CONFIDENCE_THRESHOLD;

/** Just below the decider's strong threshold. */
const CAPPED_CONFIDENCE = Math.round((CLASSIFICATION_CONFIDENCE_THRESHOLD - 0.01) * 1000) / 1000;

function guard(signals: ClassificationSignal[], sniff: SniffResult): ClassificationSignal[] {
  if (!sniff.conflicting && !sniff.executable) return signals;
  const strongClasses = new Set(signals.filter(isStrong).map((s) => s.dataClass));
  if (strongClasses.size > 1) return signals;
  return signals.map((s) =>
    s.confidence >= CLASSIFICATION_CONFIDENCE_THRESHOLD ? { ...s, confidence: CAPPED_CONFIDENCE } : s,
  );
}

/** The classes whose profiles apply: the strong ones, else every signalled one, else UNKNOWN. */
function profileClasses(signals: readonly ClassificationSignal[]): DataClass[] {
  const informative = signals.filter((s) => s.dataClass !== 'UNKNOWN');
  const strong = informative.filter(isStrong);
  const classes = [...new Set((strong.length > 0 ? strong : informative).map((s) => s.dataClass))];
  return classes.length > 0 ? classes : ['UNKNOWN'];
}

const rank = (s: Sensitivity): number => SENSITIVITIES.indexOf(s);

function attributesFor(
  input: ClassificationInput,
  taxonomy: Taxonomy,
  matched: readonly TaxonomyRule[],
  signals: readonly ClassificationSignal[],
): ClassificationAttributes {
  const base: ClassProfile[] = profileClasses(signals).map((c) => taxonomy.classes[c]);
  const effects = matched.map((r) => r.then);
  const sensitivity = [
    ...base.map((p) => p.sensitivity),
    ...effects.flatMap((e) => e.sensitivity ?? []),
  ].reduce((a, b) => (rank(b) > rank(a) ? b : a));
  const phiBearing = base.some((p) => p.phiBearing) || effects.some((e) => e.phiBearing === true);
  const allowed = [
    ...base.map((p) => p.eligibleUses),
    ...effects.flatMap((e) => (e.eligibleUses ? [e.eligibleUses] : [])),
  ];
  const excluded = new Set(effects.flatMap((e) => e.excludeUses ?? []));
  const eligibleUses = INTENDED_USES.filter(
    (u: IntendedUse) => allowed.every((list) => list.includes(u)) && !excluded.has(u),
  );
  const retention = longest(
    taxonomy,
    [...base.map((p) => p.retentionClass), ...effects.flatMap((e) => e.retentionClass ?? [])],
    input.at,
  );
  const headerModality = input.dicom?.modality?.trim();
  return {
    format: formatOf(input),
    modality:
      headerModality !== undefined && headerModality !== ''
        ? headerModality
        : (effects.find((e) => e.modality !== undefined)?.modality ?? null),
    dicom: input.dicom?.attributes ?? null,
    sensitivity,
    phiBearing,
    retentionClass: retention.id,
    retainUntil: retention.until,
    residency: input.siteResidency,
    eligibleUses,
  };
}

/** Parsed DICOM facts prove DICOM when sniffing found no format (and nothing contradicts it). */
function formatOf({ sniff, dicom }: ClassificationInput): ObjectFormat {
  if (sniff.format !== 'UNKNOWN') return sniff.format;
  return dicom !== null && !sniff.conflicting && !sniff.executable ? 'DICOM' : 'UNKNOWN';
}

/** The retention class that keeps the object longest (validation guarantees the ids exist). */
function longest(taxonomy: Taxonomy, ids: readonly string[], at: Date): { id: string; until: Date } {
  const candidates = ids
    .map((id) => taxonomy.retentionClasses.find((r) => r.id === id))
    .filter((r): r is RetentionClass => r !== undefined)
    .map((r) => ({ id: r.id, until: addRetention(at, r.period) }));
  const [first, ...rest] = candidates;
  if (first === undefined) {
    throw new Error(`taxonomy ${taxonomy.taxonomyId} has no retention class for ${ids.join(', ')}`);
  }
  return rest.reduce((a, b) => (b.until.getTime() > a.until.getTime() ? b : a), first);
}
