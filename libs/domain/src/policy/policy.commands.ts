import type { Actor } from '@medlineage/kernel';
import type { PolicyVersionPublishedData, TaxonomyVersionPublishedData } from './policy.events';

export interface PublishPolicyVersion extends PolicyVersionPublishedData {
  readonly type: 'PublishPolicyVersion';
  readonly at: Date;
  readonly actor: Actor;
}
export type PolicyCommand = PublishPolicyVersion;

export interface PublishTaxonomyVersion extends TaxonomyVersionPublishedData {
  readonly type: 'PublishTaxonomyVersion';
  readonly at: Date;
  readonly actor: Actor;
}
export type TaxonomyCommand = PublishTaxonomyVersion;
