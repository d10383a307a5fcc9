import { assertNever } from '@medlineage/kernel';
import { DomainError } from '../domain-error';
import { sameValue } from '../common/same-value';
import type { ModelCommand, RegisterModel } from './model.commands';
import type { ModelEvent, ModelRegisteredData } from './model.events';
import type { ModelState } from './model.state';

/**
 * A model is registered once, with the dataset versions it was trained on (at least one, each
 * listed once); registering the identical model again is a no-op.
 */
export function decideModel(command: ModelCommand, state: ModelState): ModelEvent[] {
  switch (command.type) {
    case 'RegisterModel':
      return register(command, state);
    default:
      return assertNever(command.type, 'model command');
  }
}

function register(c: RegisterModel, state: ModelState): ModelEvent[] {
  const model: ModelRegisteredData = {
    modelId: c.modelId,
    name: c.name,
    version: c.version,
    trainingRunId: c.trainingRunId,
    trainedOn: c.trainedOn,
    artifactSha256: c.artifactSha256,
    intendedUse: c.intendedUse,
    framework: c.framework,
  };
  if (state.status === 'registered') {
    if (sameValue(state.model, model)) return [];
    throw new DomainError('model.already-registered', `model ${c.modelId} is already registered differently`);
  }
  const keys = model.trainedOn.map((d) => `${d.datasetId}#${d.version}`);
  if (keys.length === 0 || new Set(keys).size !== keys.length || model.version.trim() === '') {
    throw new DomainError(
      'model.registration-invalid',
      `model ${c.modelId} needs a version and distinct training dataset versions`,
    );
  }
  return [{ type: 'ModelRegistered', data: model }];
}
