// Shared vocabularies, value types, errors, stream names.
export * from './common/vocabularies';
export * from './common/value-objects';
export * from './common/same-value';
export * from './domain-error';
export * from './stream-name';

// Data object.
export * from './data-object/data-object.events';
export * from './data-object/data-object.commands';
export * from './data-object/data-object.state';
export * from './data-object/data-object.classification';
export * from './data-object/data-object.access';
export * from './data-object/data-object.decide';
export * from './data-object/data-object.decider';
export * from './data-object/data-object.stream';

// Subject consent.
export * from './subject-consent/subject-consent.events';
export * from './subject-consent/subject-consent.commands';
export * from './subject-consent/subject-consent.state';
export * from './subject-consent/subject-consent.eligibility';
export * from './subject-consent/subject-consent.decide';
export * from './subject-consent/subject-consent.decider';
export * from './subject-consent/subject-consent.stream';

// Dataset.
export * from './dataset/dataset.events';
export * from './dataset/dataset.commands';
export * from './dataset/dataset.state';
export * from './dataset/dataset.decide';
export * from './dataset/dataset.decider';
export * from './dataset/dataset.stream';

// Model.
export * from './model/model.events';
export * from './model/model.commands';
export * from './model/model.state';
export * from './model/model.decide';
export * from './model/model.decider';
export * from './model/model.stream';

// Policy and taxonomy.
export * from './policy/policy.events';
export * from './policy/policy.commands';
export * from './policy/policy.state';
export * from './policy/policy.decide';
export * from './policy/policy.decider';
export * from './policy/taxonomy.state';
export * from './policy/taxonomy.decide';
export * from './policy/taxonomy.decider';
export * from './policy/policy.stream';

// Catalogue, schema evolution.
export * from './event-catalogue';
export * from './legacy-events';
export * from './upcasters';
