export * from './embedded-event-store';
