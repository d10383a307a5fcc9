import { assertNever } from '@medlineage/kernel';
import type { PolicyEvent, PolicyVersionPublishedData } from './policy.events';
import { publishVersion, type VersionedDocumentState } from './versioned-document.state';

export type PolicyState = VersionedDocumentState<PolicyVersionPublishedData>;

export const initialPolicyState = (): PolicyState => ({ status: 'unpublished' });

export function evolvePolicy(state: PolicyState, event: PolicyEvent): PolicyState {
  switch (event.type) {
    case 'PolicyVersionPublished':
      return publishVersion(state, event.data);
    default:
      return assertNever(event.type, 'policy event');
  }
}
