export * from './subject-key-ring';
export * from './sqlite-key-ring';
