export * from './command-context';
export * from './environment';
export * from './event-sourced-repository';
