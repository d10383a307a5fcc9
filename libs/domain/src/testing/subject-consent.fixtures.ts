import type { Actor } from '@medlineage/kernel';
import type {
  RecordSubjectConsent,
  RestrictSubjectConsent,
  RevokeSubjectConsent,
} from '../subject-consent/subject-consent.commands';
import type {
  SubjectConsentRecorded,
  SubjectConsentRecordedData,
  SubjectConsentRestricted,
  SubjectConsentRevoked,
} from '../subject-consent/subject-consent.events';
import { SAMPLE_IDS, sampleEvent } from './sample-events';

export const CONSENT_AT = new Date('2026-01-12T10:30:00.000Z');
export const SUBJECT_ID = SAMPLE_IDS.subjectId;
export const CONSENT_ID = SAMPLE_IDS.consentId;
export const NEW_CONSENT_ID = 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a81';
export const consentClerk: Actor = { kind: 'user', id: 'staff-c41d07' };

const recordedSample = sampleEvent('SubjectConsentRecorded').data;

export const recordConsent = (o: Partial<RecordSubjectConsent> = {}): RecordSubjectConsent => ({
  type: 'RecordSubjectConsent',
  ...recordedSample,
  at: CONSENT_AT,
  actor: consentClerk,
  ...o,
});
export const consentRecorded = (o: Partial<SubjectConsentRecordedData> = {}): SubjectConsentRecorded => ({
  type: 'SubjectConsentRecorded',
  data: { ...recordedSample, ...o },
});

export const restrictConsent = (o: Partial<RestrictSubjectConsent> = {}): RestrictSubjectConsent => ({
  type: 'RestrictSubjectConsent',
  subjectId: SUBJECT_ID,
  consentId: CONSENT_ID,
  removeUses: ['MODEL_TRAINING'],
  excludeDataClasses: ['CLINICAL_NOTE'],
  at: new Date('2026-06-01T12:00:00.000Z'),
  actor: consentClerk,
  ...o,
});
export const consentRestricted = (
  o: Partial<SubjectConsentRestricted['data']> = {},
): SubjectConsentRestricted => ({
  type: 'SubjectConsentRestricted',
  data: { ...sampleEvent('SubjectConsentRestricted').data, ...o },
});

const revokedSample = sampleEvent('SubjectConsentRevoked').data;
export const revokeConsent = (o: Partial<RevokeSubjectConsent> = {}): RevokeSubjectConsent => ({
  type: 'RevokeSubjectConsent',
  subjectId: SUBJECT_ID,
  consentId: CONSENT_ID,
  scope: revokedSample.scope,
  at: revokedSample.effectiveAt,
  actor: consentClerk,
  ...o,
});
export const consentRevoked = (o: Partial<SubjectConsentRevoked['data']> = {}): SubjectConsentRevoked => ({
  type: 'SubjectConsentRevoked',
  data: { ...revokedSample, ...o },
});
