export * from './object-store.contract';
export * from './test-data';
