export * from './assert-never';
export * from './decider';
export * from './deterministic-id';
export * from './domain-event';
export * from './encrypted-envelope';
export * from './pseudonym';
export * from './uuid';
