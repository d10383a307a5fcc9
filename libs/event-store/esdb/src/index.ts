export * from './esdb-event-store';
export { translateEsdbError } from './esdb-errors';
