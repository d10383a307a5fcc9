import type { DataClass } from '../common/vocabularies';
import { distinct } from '../common/same-value';
import type { ClassificationSignal } from './data-object.commands';
import type { ReviewReason } from './data-object.events';

/** Signals below this confidence are weak: they can suggest a class to a reviewer, never decide it. */
export const CLASSIFICATION_CONFIDENCE_THRESHOLD = 0.8;

export type SignalVerdict =
  | { readonly kind: 'classified'; readonly dataClass: DataClass; readonly matchedRuleIds: readonly string[] }
  | {
      readonly kind: 'review';
      readonly reason: ReviewReason;
      readonly candidateClasses: readonly DataClass[];
    };

/**
 * Settles a data class only when every strong signal agrees; otherwise asks for review instead
 * of guessing. UNKNOWN never settles a class (a strong "unknown" is the same as no match).
 * MIXED is a real class (a container of several classes) and may be settled.
 */
export function evaluateSignals(signals: readonly ClassificationSignal[]): SignalVerdict {
  const informative = signals.filter((s) => s.dataClass !== 'UNKNOWN');
  if (informative.length === 0) {
    return { kind: 'review', reason: 'NO_MATCHING_RULE', candidateClasses: [] };
  }
  const strong = informative.filter((s) => s.confidence >= CLASSIFICATION_CONFIDENCE_THRESHOLD);
  if (strong.length === 0) {
    return {
      kind: 'review',
      reason: 'LOW_CONFIDENCE',
      candidateClasses: distinct(informative.map((s) => s.dataClass)),
    };
  }
  const classes = distinct(strong.map((s) => s.dataClass));
  const [only] = classes;
  if (only === undefined || classes.length > 1) {
    return { kind: 'review', reason: 'CONFLICTING_SIGNALS', candidateClasses: classes };
  }
  return { kind: 'classified', dataClass: only, matchedRuleIds: strong.map((s) => s.ruleId) };
}
