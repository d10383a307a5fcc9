import { given } from '../testing/given-when-then';
import { sampleEvent } from '../testing/sample-events';
import type { PublishPolicyVersion } from './policy.commands';
import { policyDecider } from './policy.decider';
import type { PolicyVersionPublished, PolicyVersionPublishedData } from './policy.events';

const v3 = sampleEvent('PolicyVersionPublished');
const published = (o: Partial<PolicyVersionPublishedData> = {}): PolicyVersionPublished => ({
  type: 'PolicyVersionPublished',
  data: { ...v3.data, ...o },
});
const publish = (o: Partial<PublishPolicyVersion> = {}): PublishPolicyVersion => ({
  type: 'PublishPolicyVersion',
  ...v3.data,
  at: new Date('2026-06-20T10:00:00.000Z'),
  actor: { kind: 'user', id: 'staff-dpo-01' },
  ...o,
});
const v4 = {
  version: 4,
  documentSha256: '4a'.repeat(32),
  effectiveFrom: new Date('2027-01-01T00:00:00.000Z'),
};

describe('policy decider', () => {
  describe('When unpublished', () => {
    it('publishes a first version (any positive number)', () => {
      given(policyDecider).when(publish()).then([v3]);
    });

    it('refuses version numbers below 1', () => {
      given(policyDecider)
        .when(publish({ version: 0 }))
        .thenThrows('policy.version-not-increasing');
    });

    it('refuses a policy without a known jurisdiction or with a non-positive consent-check age', () => {
      given(policyDecider)
        .when(publish({ allowedResidencies: [] }))
        .thenThrows('policy.definition-invalid');
      given(policyDecider)
        .when(publish({ allowedResidencies: ['UNKNOWN'] }))
        .thenThrows('policy.definition-invalid');
      given(policyDecider)
        .when(publish({ maxConsentCheckAgeHours: 0 }))
        .thenThrows('policy.definition-invalid');
    });
  });

  describe('When a version is published', () => {
    it('treats the same version and document as done', () => {
      given(policyDecider, [v3]).when(publish()).thenNothingHappens();
    });

    it('publishes a higher version, gaps allowed', () => {
      given(policyDecider, [v3])
        .when(publish(v4))
        .then([published(v4)]);
      given(policyDecider, [v3])
        .when(publish({ ...v4, version: 7 }))
        .then([published({ ...v4, version: 7 })]);
    });

    it('refuses a lower version, or a published number with another document', () => {
      given(policyDecider, [v3])
        .when(publish({ ...v4, version: 2 }))
        .thenThrows('policy.version-not-increasing');
      given(policyDecider, [v3])
        .when(publish({ documentSha256: '4a'.repeat(32) }))
        .thenThrows('policy.version-conflict');
    });

    it('refuses a version taking effect before its predecessor', () => {
      given(policyDecider, [v3])
        .when(publish({ ...v4, effectiveFrom: new Date('2026-06-30T00:00:00.000Z') }))
        .thenThrows('policy.effective-date-regression');
    });
  });
});
