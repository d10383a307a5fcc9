import { assertNever } from '@medlineage/kernel';
import { DomainError } from '../domain-error';
import { distinct, sameValue } from '../common/same-value';
import type {
  RecordSubjectConsent,
  RestrictSubjectConsent,
  RevokeSubjectConsent,
  SubjectConsentCommand,
} from './subject-consent.commands';
import type { SubjectConsentEvent, SubjectConsentRecordedData } from './subject-consent.events';
import type { SubjectConsentState } from './subject-consent.state';

/**
 * Consent rules:
 * - A subject has at most one active consent. Recording another while one is active is refused
 *   (restrict it, or revoke it and record anew); broadening is never done in place.
 * - Restriction only narrows; it lists just the effective changes, repeats decide nothing, and a
 *   restriction that would leave no permitted use is refused (that is a revocation).
 * - Revocation is final for that consentId. Re-consent after revocation is a NEW consentId; reusing
 *   any earlier consentId is refused, so a revoked consent can never come back to life.
 * - Repeating an already-recorded effect (same terms, same revocation) decides nothing.
 */
export function decideSubjectConsent(
  command: SubjectConsentCommand,
  state: SubjectConsentState,
): SubjectConsentEvent[] {
  if (state.status !== 'none' && state.subjectId !== command.subjectId) {
    throw new DomainError(
      'consent.subject-mismatch',
      `stream belongs to another subject than ${command.subjectId}`,
    );
  }
  switch (command.type) {
    case 'RecordSubjectConsent':
      return record(command, state);
    case 'RestrictSubjectConsent':
      return restrict(command, state);
    case 'RevokeSubjectConsent':
      return revoke(command, state);
    default:
      return assertNever(command, 'subject consent command');
  }
}

function record(c: RecordSubjectConsent, state: SubjectConsentState): SubjectConsentEvent[] {
  const terms: SubjectConsentRecordedData = {
    subjectId: c.subjectId,
    consentId: c.consentId,
    site: c.site,
    formId: c.formId,
    formVersion: c.formVersion,
    permittedUses: distinct(c.permittedUses),
    excludedDataClasses: distinct(c.excludedDataClasses),
    effectiveFrom: c.effectiveFrom,
    expiresAt: c.expiresAt,
    signatory: c.signatory,
    evidenceSha256: c.evidenceSha256,
  };
  if (state.status === 'active') {
    if (state.consent.consentId !== c.consentId) {
      throw new DomainError(
        'consent.already-active',
        `subject has active consent ${state.consent.consentId}`,
      );
    }
    if (sameValue(state.consent.recorded, terms)) return [];
    throw new DomainError('consent.terms-conflict', `consent ${c.consentId} was recorded with other terms`);
  }
  if (state.status === 'revoked' && state.usedConsentIds.includes(c.consentId)) {
    throw new DomainError(
      'consent.id-reused',
      `consent ${c.consentId} was used before; re-consent needs a new id`,
    );
  }
  if (terms.permittedUses.length === 0) {
    throw new DomainError('consent.no-permitted-uses', `consent ${c.consentId} permits nothing`);
  }
  if (terms.expiresAt !== null && terms.expiresAt.getTime() <= terms.effectiveFrom.getTime()) {
    throw new DomainError('consent.invalid-period', `consent ${c.consentId} expires before it starts`);
  }
  return [{ type: 'SubjectConsentRecorded', data: terms }];
}

function restrict(c: RestrictSubjectConsent, state: SubjectConsentState): SubjectConsentEvent[] {
  const consent = requireActive(c.consentId, state);
  const removedUses = distinct(c.removeUses).filter((u) => consent.permittedUses.includes(u));
  const newlyExcludedDataClasses = distinct(c.excludeDataClasses).filter(
    (d) => !consent.excludedDataClasses.includes(d),
  );
  if (removedUses.length === 0 && newlyExcludedDataClasses.length === 0) return [];
  if (removedUses.length === consent.permittedUses.length) {
    throw new DomainError(
      'consent.restriction-would-empty',
      `restricting consent ${c.consentId} would permit nothing; revoke it instead`,
    );
  }
  return [
    {
      type: 'SubjectConsentRestricted',
      data: { subjectId: c.subjectId, consentId: c.consentId, removedUses, newlyExcludedDataClasses },
    },
  ];
}

function revoke(c: RevokeSubjectConsent, state: SubjectConsentState): SubjectConsentEvent[] {
  if (state.status === 'revoked' && state.last.consentId === c.consentId) return [];
  requireActive(c.consentId, state);
  return [
    {
      type: 'SubjectConsentRevoked',
      data: { subjectId: c.subjectId, consentId: c.consentId, scope: c.scope, effectiveAt: c.at },
    },
  ];
}

function requireActive(consentId: string, state: SubjectConsentState) {
  switch (state.status) {
    case 'none':
      throw new DomainError('consent.not-recorded', `no consent recorded for this subject`);
    case 'revoked':
      if (state.usedConsentIds.includes(consentId)) {
        throw new DomainError('consent.revoked', `consent ${consentId} was revoked`);
      }
      throw new DomainError('consent.unknown-consent', `consent ${consentId} is not this subject's`);
    case 'active':
      if (state.consent.consentId === consentId) return state.consent;
      if (state.usedConsentIds.includes(consentId)) {
        throw new DomainError('consent.revoked', `consent ${consentId} was revoked`);
      }
      throw new DomainError('consent.unknown-consent', `consent ${consentId} is not this subject's`);
    default:
      return assertNever(state, 'subject consent state');
  }
}
