export { openStorage, withSettings } from './storage.js';
export type { Storage } from './storage.js';
export { loadMigrations, migrate } from './migrations.js';
export type { Migration } from './migrations.js';
export { BatchWriter } from './batch-writer.js';
export type { RowSink, RowBinaryInserter, WriterStats, WriterLogger } from './batch-writer.js';
export { SPAN_SINK, LOG_SINK } from './sinks.js';
export { isRetryableStorageError } from './errors.js';
