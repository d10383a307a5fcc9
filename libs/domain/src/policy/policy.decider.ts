import type { Decider } from '@medlineage/kernel';
import type { PolicyCommand } from './policy.commands';
import { decidePolicy } from './policy.decide';
import type { PolicyEvent } from './policy.events';
import { evolvePolicy, initialPolicyState, type PolicyState } from './policy.state';

/** A data-governance policy: an append-only sequence of published versions. */
export const policyDecider: Decider<PolicyCommand, PolicyState, PolicyEvent> = {
  decide: decidePolicy,
  evolve: evolvePolicy,
  initialState: initialPolicyState,
};
