import { given } from '../testing/given-when-then';
import { sampleEvent } from '../testing/sample-events';
import type { RegisterModel } from './model.commands';
import { modelDecider } from './model.decider';
import type { ModelRegistered } from './model.events';

const registered: ModelRegistered = sampleEvent('ModelRegistered');
const register = (o: Partial<RegisterModel> = {}): RegisterModel => ({
  type: 'RegisterModel',
  ...registered.data,
  at: new Date('2026-11-22T08:00:00.000Z'),
  actor: { kind: 'service', id: 'svc-model-registry' },
  ...o,
});

describe('model decider', () => {
  describe('When unregistered', () => {
    it('registers a model with its training data', () => {
      given(modelDecider).when(register()).then([registered]);
    });

    it('refuses a model without training data, with a dataset version listed twice, or without a version', () => {
      given(modelDecider)
        .when(register({ trainedOn: [] }))
        .thenThrows('model.registration-invalid');
      const [once] = registered.data.trainedOn;
      if (once === undefined) throw new Error('sample must list training data');
      given(modelDecider)
        .when(register({ trainedOn: [once, once] }))
        .thenThrows('model.registration-invalid');
      given(modelDecider)
        .when(register({ version: '' }))
        .thenThrows('model.registration-invalid');
    });
  });

  describe('When registered', () => {
    it('treats the same registration redelivered as done', () => {
      given(modelDecider, [registered]).when(register()).thenNothingHappens();
    });

    it('refuses a different model under the same id', () => {
      given(modelDecider, [registered])
        .when(register({ artifactSha256: 'ee'.repeat(32) }))
        .thenThrows('model.already-registered');
    });
  });
});
