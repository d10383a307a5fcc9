export * from './append-validation';
export * from './event-store';
export * from './event-store-errors';
export * from './positions';
