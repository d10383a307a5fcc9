import type { DomainEvent } from '@medlineage/kernel';
import type { DataClass, IntendedUse } from '../common/vocabularies';

/*
 * Events of one subject's consent stream (`consent-<subjectId>`), shaped exactly like the CURRENT
 * version of `schemas/avro/events/subject-consent/<Type>.v<N>.avsc`.
 */

export const SUBJECT_CONSENT_EVENT_TYPES = [
  'SubjectConsentRecorded',
  'SubjectConsentRestricted',
  'SubjectConsentRevoked',
] as const;
export type SubjectConsentEventType = (typeof SUBJECT_CONSENT_EVENT_TYPES)[number];

/** `com.medlineage.events.subjectConsent.ConsentSignatory`. */
export const CONSENT_SIGNATORIES = ['SUBJECT', 'LEGAL_REPRESENTATIVE', 'COURT_ORDER'] as const;
export type ConsentSignatory = (typeof CONSENT_SIGNATORIES)[number];

/** SubjectConsentRecorded v2. v1 called `permittedUses` `scopes`. */
export interface SubjectConsentRecordedData {
  readonly subjectId: string;
  readonly consentId: string;
  readonly site: string;
  readonly formId: string;
  readonly formVersion: string;
  readonly permittedUses: readonly IntendedUse[];
  readonly excludedDataClasses: readonly DataClass[];
  readonly effectiveFrom: Date;
  readonly expiresAt: Date | null;
  readonly signatory: ConsentSignatory;
  readonly evidenceSha256: string;
}
export type SubjectConsentRecorded = DomainEvent<'SubjectConsentRecorded', SubjectConsentRecordedData>;

export interface SubjectConsentRestrictedData {
  readonly subjectId: string;
  readonly consentId: string;
  readonly removedUses: readonly IntendedUse[];
  readonly newlyExcludedDataClasses: readonly DataClass[];
}
export type SubjectConsentRestricted = DomainEvent<'SubjectConsentRestricted', SubjectConsentRestrictedData>;

/** `com.medlineage.events.subjectConsent.RevocationScope`. */
export const REVOCATION_SCOPES = ['STOP_FUTURE_USE', 'WITHDRAW_FROM_EXISTING_USE'] as const;
export type RevocationScope = (typeof REVOCATION_SCOPES)[number];

export interface SubjectConsentRevokedData {
  readonly subjectId: string;
  readonly consentId: string;
  readonly scope: RevocationScope;
  readonly effectiveAt: Date;
}
export type SubjectConsentRevoked = DomainEvent<'SubjectConsentRevoked', SubjectConsentRevokedData>;

export type SubjectConsentEvent = SubjectConsentRecorded | SubjectConsentRestricted | SubjectConsentRevoked;
