import { foldEvents } from '@medlineage/kernel';
import { given } from '../testing/given-when-then';
import {
  CONSENT_ID,
  NEW_CONSENT_ID,
  consentRecorded,
  consentRestricted,
  consentRevoked,
  recordConsent,
  restrictConsent,
  revokeConsent,
} from '../testing/subject-consent.fixtures';
import { subjectConsentDecider } from './subject-consent.decider';
import { isSubjectEligible } from './subject-consent.eligibility';
import type { SubjectConsentEvent } from './subject-consent.events';

const when = (history: readonly SubjectConsentEvent[]) => given(subjectConsentDecider, history);

const active = [consentRecorded()];
const restricted = [...active, consentRestricted()];
const revoked = [...active, consentRevoked()];
const IN_FORCE = new Date('2026-06-15T00:00:00.000Z');

describe('subject consent decider', () => {
  describe('When no consent was recorded', () => {
    it('records a consent', () => {
      when([]).when(recordConsent()).then([consentRecorded()]);
    });

    it('records each use and excluded class once', () => {
      when([])
        .when(recordConsent({ permittedUses: ['RESEARCH', 'RESEARCH', 'MODEL_TRAINING'] }))
        .then([consentRecorded({ permittedUses: ['RESEARCH', 'MODEL_TRAINING'] })]);
    });

    it('refuses a consent that permits nothing', () => {
      when([])
        .when(recordConsent({ permittedUses: [] }))
        .thenThrows('consent.no-permitted-uses');
    });

    it('refuses a consent that expires before it starts', () => {
      const c = recordConsent();
      when([])
        .when(recordConsent({ expiresAt: c.effectiveFrom }))
        .thenThrows('consent.invalid-period');
    });

    it('refuses restriction and revocation before any consent', () => {
      when([]).when(restrictConsent()).thenThrows('consent.not-recorded');
      when([]).when(revokeConsent()).thenThrows('consent.not-recorded');
    });
  });

  describe('When a consent is active', () => {
    it('treats the same consent redelivered as done', () => {
      when(active).when(recordConsent()).thenNothingHappens();
    });

    it('refuses the same consent id with other terms', () => {
      when(active)
        .when(recordConsent({ formVersion: '3.2' }))
        .thenThrows('consent.terms-conflict');
    });

    it('refuses a second consent while one is active (no in-place broadening)', () => {
      when(active)
        .when(recordConsent({ consentId: NEW_CONSENT_ID }))
        .thenThrows('consent.already-active');
    });

    it('refuses commands for another subject on this stream', () => {
      when(active)
        .when(revokeConsent({ subjectId: 'subzzzz' }))
        .thenThrows('consent.subject-mismatch');
    });

    it('restricts, listing only effective changes', () => {
      when(active)
        .when(
          restrictConsent({
            removeUses: ['MODEL_TRAINING', 'COMMERCIAL_USE'],
            excludeDataClasses: ['GENOMICS', 'CLINICAL_NOTE'],
          }),
        )
        .then([
          consentRestricted({ removedUses: ['MODEL_TRAINING'], newlyExcludedDataClasses: ['CLINICAL_NOTE'] }),
        ]);
    });

    it('refuses a restriction that would permit nothing (that is a revocation)', () => {
      when(active)
        .when(restrictConsent({ removeUses: ['RESEARCH', 'MODEL_TRAINING'], excludeDataClasses: [] }))
        .thenThrows('consent.restriction-would-empty');
    });

    it('refuses to restrict or revoke an unknown consent id', () => {
      when(active)
        .when(restrictConsent({ consentId: NEW_CONSENT_ID }))
        .thenThrows('consent.unknown-consent');
      when(active)
        .when(revokeConsent({ consentId: NEW_CONSENT_ID }))
        .thenThrows('consent.unknown-consent');
    });

    it('revokes, effective at the command time', () => {
      when(active).when(revokeConsent()).then([consentRevoked()]);
    });

    it('makes the subject eligible only for permitted uses and classes while in force', () => {
      const state = foldEvents(subjectConsentDecider, active);
      expect(isSubjectEligible(state, { use: 'RESEARCH', dataClass: 'IMAGING', at: IN_FORCE })).toBe(true);
      expect(isSubjectEligible(state, { use: 'COMMERCIAL_USE', dataClass: 'IMAGING', at: IN_FORCE })).toBe(
        false,
      );
      expect(isSubjectEligible(state, { use: 'RESEARCH', dataClass: 'GENOMICS', at: IN_FORCE })).toBe(false);
      const { effectiveFrom, expiresAt } = consentRecorded().data;
      expect(
        isSubjectEligible(state, {
          use: 'RESEARCH',
          dataClass: 'IMAGING',
          at: new Date(effectiveFrom.getTime() - 1),
        }),
      ).toBe(false);
      expect(
        isSubjectEligible(state, { use: 'RESEARCH', dataClass: 'IMAGING', at: expiresAt ?? IN_FORCE }),
      ).toBe(false);
    });
  });

  describe('When a consent is restricted', () => {
    it('treats the same restriction repeated as done', () => {
      when(restricted).when(restrictConsent()).thenNothingHappens();
    });

    it('narrows eligibility', () => {
      const state = foldEvents(subjectConsentDecider, restricted);
      expect(isSubjectEligible(state, { use: 'MODEL_TRAINING', dataClass: 'IMAGING', at: IN_FORCE })).toBe(
        false,
      );
      expect(isSubjectEligible(state, { use: 'RESEARCH', dataClass: 'CLINICAL_NOTE', at: IN_FORCE })).toBe(
        false,
      );
      expect(isSubjectEligible(state, { use: 'RESEARCH', dataClass: 'IMAGING', at: IN_FORCE })).toBe(true);
    });

    it('can still be revoked', () => {
      when(restricted).when(revokeConsent()).then([consentRevoked()]);
    });
  });

  describe('When the consent was revoked', () => {
    it('treats the same revocation repeated as done (revocation is final)', () => {
      when(revoked)
        .when(revokeConsent({ scope: 'STOP_FUTURE_USE' }))
        .thenNothingHappens();
    });

    it('never revives the revoked consent id', () => {
      when(revoked).when(recordConsent()).thenThrows('consent.id-reused');
      when(revoked).when(restrictConsent()).thenThrows('consent.revoked');
    });

    it('accepts re-consent under a new consent id', () => {
      when(revoked)
        .when(recordConsent({ consentId: NEW_CONSENT_ID, formVersion: '3.2' }))
        .then([consentRecorded({ consentId: NEW_CONSENT_ID, formVersion: '3.2' })]);
    });

    it('makes the subject ineligible for everything', () => {
      const state = foldEvents(subjectConsentDecider, revoked);
      expect(isSubjectEligible(state, { use: 'RESEARCH', dataClass: 'IMAGING', at: IN_FORCE })).toBe(false);
    });

    it('refuses to revoke the old consent again once a new one is active', () => {
      const reconsented = [...revoked, consentRecorded({ consentId: NEW_CONSENT_ID })];
      when(reconsented)
        .when(revokeConsent({ consentId: CONSENT_ID }))
        .thenThrows('consent.revoked');
      when(reconsented)
        .when(recordConsent({ consentId: CONSENT_ID }))
        .thenThrows('consent.already-active');
    });
  });
});
