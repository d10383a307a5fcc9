import type { DomainEvent } from '@medlineage/kernel';
import type { DataClass, IntendedUse, ResidencyRegion } from '../common/vocabularies';

/*
 * Events of `policy-<policyId>` and `taxonomy-<taxonomyId>`, shaped like the CURRENT version of
 * schemas/avro/events/policy/<Type>.v<N>.avsc (both live in the 'policy' schema folder).
 */

export const POLICY_EVENT_TYPES = ['PolicyVersionPublished', 'TaxonomyVersionPublished'] as const;
export type PolicyEventType = (typeof POLICY_EVENT_TYPES)[number];

export interface PolicyVersionPublishedData {
  readonly policyId: string;
  readonly version: number;
  readonly title: string;
  readonly documentSha256: string;
  readonly effectiveFrom: Date;
  readonly allowedResidencies: readonly ResidencyRegion[];
  readonly deidentificationRequiredFor: readonly IntendedUse[];
  readonly maxConsentCheckAgeHours: number;
}
export type PolicyVersionPublished = DomainEvent<'PolicyVersionPublished', PolicyVersionPublishedData>;

/** `com.medlineage.events.policy.RetentionClassDefinition`. */
export interface RetentionClassDefinition {
  readonly id: string;
  readonly retainForDays: number;
  readonly description: string;
}

export interface TaxonomyVersionPublishedData {
  readonly taxonomyId: string;
  readonly version: number;
  readonly documentSha256: string;
  readonly effectiveFrom: Date;
  readonly dataClasses: readonly DataClass[];
  readonly retentionClasses: readonly RetentionClassDefinition[];
  readonly ruleCount: number;
}
export type TaxonomyVersionPublished = DomainEvent<'TaxonomyVersionPublished', TaxonomyVersionPublishedData>;

export type PolicyEvent = PolicyVersionPublished;
export type TaxonomyEvent = TaxonomyVersionPublished;
