export * from './command-context';
export * from './event-sourced-repository';
