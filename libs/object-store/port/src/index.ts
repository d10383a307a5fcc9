export * from './content-digest';
export * from './object-keys';
export * from './object-store';
export * from './object-store-errors';
export * from './request-validation';
export * from './verified-read';
export * from './zones';
