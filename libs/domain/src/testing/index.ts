// Test support for @medlineage/domain (path alias @medlineage/domain/testing). Not for production code.
export * from './given-when-then';
export * from './sample-events';
export * from './data-object.fixtures';
export * from './subject-consent.fixtures';
export * from './dataset.fixtures';
