import { assertNever } from '@medlineage/kernel';
import { DomainError } from '../domain-error';
import { distinct } from '../common/same-value';
import type { PolicyCommand, PublishPolicyVersion } from './policy.commands';
import type { PolicyEvent, PolicyVersionPublishedData } from './policy.events';
import type { PolicyState } from './policy.state';

/**
 * Policy rules: version numbers strictly increase (gaps allowed: numbers may come from the
 * document system); re-publishing the latest version with the same document is a no-op, with
 * another document a conflict; a new version never takes effect before its predecessor; every
 * version allows at least one known jurisdiction and a positive consent-check age.
 */
export function decidePolicy(command: PolicyCommand, state: PolicyState): PolicyEvent[] {
  switch (command.type) {
    case 'PublishPolicyVersion':
      return publish(command, state);
    default:
      return assertNever(command.type, 'policy command');
  }
}

function publish(c: PublishPolicyVersion, state: PolicyState): PolicyEvent[] {
  const data: PolicyVersionPublishedData = {
    policyId: c.policyId,
    version: c.version,
    title: c.title,
    documentSha256: c.documentSha256,
    effectiveFrom: c.effectiveFrom,
    allowedResidencies: distinct(c.allowedResidencies),
    deidentificationRequiredFor: distinct(c.deidentificationRequiredFor),
    maxConsentCheckAgeHours: c.maxConsentCheckAgeHours,
  };
  if (state.status === 'published') {
    const { latest } = state;
    if (c.version === latest.version && c.documentSha256 === latest.documentSha256) return [];
    if (state.versions.includes(c.version)) {
      throw new DomainError(
        'policy.version-conflict',
        `policy ${c.policyId} v${c.version} has another document`,
      );
    }
    if (c.version < latest.version) {
      throw new DomainError(
        'policy.version-not-increasing',
        `policy ${c.policyId} is already at v${latest.version}`,
      );
    }
    if (c.effectiveFrom.getTime() < latest.effectiveFrom.getTime()) {
      throw new DomainError(
        'policy.effective-date-regression',
        `v${c.version} would take effect before v${latest.version}`,
      );
    }
  } else if (c.version < 1) {
    throw new DomainError('policy.version-not-increasing', `policy versions start at 1`);
  }
  const residencies = data.allowedResidencies.filter((r) => r !== 'UNKNOWN');
  if (
    residencies.length === 0 ||
    !Number.isInteger(c.maxConsentCheckAgeHours) ||
    c.maxConsentCheckAgeHours <= 0
  ) {
    throw new DomainError(
      'policy.definition-invalid',
      `policy ${c.policyId} v${c.version} needs a known jurisdiction and a positive consent-check age`,
    );
  }
  return [{ type: 'PolicyVersionPublished', data }];
}
