import { assertNever } from '@medlineage/kernel';
import type { DataClass, IntendedUse } from '../common/vocabularies';
import type {
  RevocationScope,
  SubjectConsentEvent,
  SubjectConsentRecordedData,
} from './subject-consent.events';

/** The terms of the active consent, after any restrictions. */
export interface ActiveConsent {
  readonly consentId: string;
  /** Terms as recorded, kept to recognise a redelivered RecordSubjectConsent. */
  readonly recorded: SubjectConsentRecordedData;
  readonly permittedUses: readonly IntendedUse[];
  readonly excludedDataClasses: readonly DataClass[];
  readonly effectiveFrom: Date;
  readonly expiresAt: Date | null;
}

export interface RevokedConsent {
  readonly consentId: string;
  readonly scope: RevocationScope;
  readonly effectiveAt: Date;
}

/**
 * One subject's consent. Rules (see subject-consent.decide.ts): at most one active consent; a
 * revoked consentId is revoked forever; re-consent is a NEW consentId, never a reused one.
 */
export type SubjectConsentState =
  | { readonly status: 'none' }
  | {
      readonly status: 'active';
      readonly subjectId: string;
      readonly consent: ActiveConsent;
      readonly usedConsentIds: readonly string[];
    }
  | {
      readonly status: 'revoked';
      readonly subjectId: string;
      readonly last: RevokedConsent;
      readonly usedConsentIds: readonly string[];
    };

export const initialSubjectConsentState = (): SubjectConsentState => ({ status: 'none' });

export function evolveSubjectConsent(
  state: SubjectConsentState,
  event: SubjectConsentEvent,
): SubjectConsentState {
  switch (event.type) {
    case 'SubjectConsentRecorded': {
      if (state.status === 'active') return state;
      const d = event.data;
      return {
        status: 'active',
        subjectId: d.subjectId,
        consent: {
          consentId: d.consentId,
          recorded: d,
          permittedUses: d.permittedUses,
          excludedDataClasses: d.excludedDataClasses,
          effectiveFrom: d.effectiveFrom,
          expiresAt: d.expiresAt,
        },
        usedConsentIds: state.status === 'none' ? [d.consentId] : [...state.usedConsentIds, d.consentId],
      };
    }
    case 'SubjectConsentRestricted': {
      if (state.status !== 'active' || state.consent.consentId !== event.data.consentId) return state;
      const { removedUses, newlyExcludedDataClasses } = event.data;
      return {
        ...state,
        consent: {
          ...state.consent,
          permittedUses: state.consent.permittedUses.filter((u) => !removedUses.includes(u)),
          excludedDataClasses: [...state.consent.excludedDataClasses, ...newlyExcludedDataClasses],
        },
      };
    }
    case 'SubjectConsentRevoked':
      if (state.status !== 'active' || state.consent.consentId !== event.data.consentId) return state;
      return {
        status: 'revoked',
        subjectId: state.subjectId,
        last: {
          consentId: event.data.consentId,
          scope: event.data.scope,
          effectiveAt: event.data.effectiveAt,
        },
        usedConsentIds: state.usedConsentIds,
      };
    default:
      return assertNever(event, 'subject consent event');
  }
}
