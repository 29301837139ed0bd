// The single source of truth for every shape Dubnium reads or writes.
export * from './names.ts';
export * from './config.ts';
export * from './facts.ts';
export * from './records.ts';
export * from './runtime-records.ts';
