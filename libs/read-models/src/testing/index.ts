export * from './event-log';
export * from './temporary-schema';
