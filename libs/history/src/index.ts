export * from './timeline';
export * from './summarize';
export * from './link-index';
export * from './history-service';
export * from './format-timeline';
export * from './history-cli';
export { UnknownEventTypeError } from './decode-recorded';
