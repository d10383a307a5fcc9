import type { Decider } from '@medlineage/kernel';
import type { ModelCommand } from './model.commands';
import { decideModel } from './model.decide';
import type { ModelEvent } from './model.events';
import { evolveModel, initialModelState, type ModelState } from './model.state';

/** A trained model and the dataset versions it came from. */
export const modelDecider: Decider<ModelCommand, ModelState, ModelEvent> = {
  decide: decideModel,
  evolve: evolveModel,
  initialState: initialModelState,
};
