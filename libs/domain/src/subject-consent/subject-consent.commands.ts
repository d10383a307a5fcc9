import type { Actor } from '@medlineage/kernel';
import type { DataClass, IntendedUse } from '../common/vocabularies';
import type { ConsentSignatory, RevocationScope } from './subject-consent.events';

interface CommandBase {
  readonly subjectId: string;
  readonly consentId: string;
  readonly at: Date;
  readonly actor: Actor;
}

export interface RecordSubjectConsent extends CommandBase {
  readonly type: 'RecordSubjectConsent';
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

export interface RestrictSubjectConsent extends CommandBase {
  readonly type: 'RestrictSubjectConsent';
  readonly removeUses: readonly IntendedUse[];
  readonly excludeDataClasses: readonly DataClass[];
}

/** Takes effect at `at`. */
export interface RevokeSubjectConsent extends CommandBase {
  readonly type: 'RevokeSubjectConsent';
  readonly scope: RevocationScope;
}

export type SubjectConsentCommand = RecordSubjectConsent | RestrictSubjectConsent | RevokeSubjectConsent;
