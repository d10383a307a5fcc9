import { assertNever } from '@medlineage/kernel';
import type { PolicyEvent, PolicyVersionPublishedData } from './policy.events';

export type PolicyState =
  | { readonly status: 'unpublished' }
  | {
      readonly status: 'published';
      readonly latest: PolicyVersionPublishedData;
      /** Every published version number, ascending. */
      readonly versions: readonly number[];
    };

export const initialPolicyState = (): PolicyState => ({ status: 'unpublished' });

export function evolvePolicy(state: PolicyState, event: PolicyEvent): PolicyState {
  switch (event.type) {
    case 'PolicyVersionPublished':
      if (state.status === 'published' && event.data.version <= state.latest.version) return state;
      return {
        status: 'published',
        latest: event.data,
        versions:
          state.status === 'published' ? [...state.versions, event.data.version] : [event.data.version],
      };
    default:
      return assertNever(event.type, 'policy event');
  }
}
