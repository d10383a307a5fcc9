import { assertNever } from '@medlineage/kernel';
import type { ModelEvent, ModelRegisteredData } from './model.events';

export type ModelState =
  | { readonly status: 'unregistered' }
  | { readonly status: 'registered'; readonly model: ModelRegisteredData };

export const initialModelState = (): ModelState => ({ status: 'unregistered' });

export function evolveModel(state: ModelState, event: ModelEvent): ModelState {
  switch (event.type) {
    case 'ModelRegistered':
      return state.status === 'unregistered' ? { status: 'registered', model: event.data } : state;
    default:
      return assertNever(event.type, 'model event');
  }
}
