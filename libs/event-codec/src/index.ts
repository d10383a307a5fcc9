export * from './codec-errors';
export * from './event-codec';
export * from './logical-types';
export * from './rabin-fingerprint';
export * from './schema-catalogue';
export * from './single-object';
export * from './upcaster';
