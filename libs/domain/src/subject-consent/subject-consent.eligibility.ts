import type { DataClass, IntendedUse } from '../common/vocabularies';
import type { SubjectConsentState } from './subject-consent.state';

/** A question for the consent state: may this subject's data of this class be used so, at that time? */
export interface EligibilityQuery {
  readonly use: IntendedUse;
  readonly dataClass: DataClass;
  readonly at: Date;
}

/**
 * True only under an active consent that permits the use, does not exclude the class, and is in
 * force at `at` (effectiveFrom inclusive, expiresAt exclusive). Everything else — no consent,
 * revoked, expired, restricted — is ineligible: consent is opt-in.
 */
export function isSubjectEligible(state: SubjectConsentState, query: EligibilityQuery): boolean {
  if (state.status !== 'active') return false;
  const c = state.consent;
  const t = query.at.getTime();
  return (
    c.permittedUses.includes(query.use) &&
    !c.excludedDataClasses.includes(query.dataClass) &&
    c.effectiveFrom.getTime() <= t &&
    (c.expiresAt === null || t < c.expiresAt.getTime())
  );
}
