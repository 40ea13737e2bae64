/** Database and table names: a contract with SQL users, dashboards and tests (DESIGN.md §3). */
export const DATABASE = 'agentflow';

export const TABLES = {
  TRACES: 'otel_traces',
  TRACES_TRACE_ID_TS: 'otel_traces_trace_id_ts',
  LOGS: 'otel_logs',
  MIGRATIONS: 'schema_migrations',
} as const;

/** Default tenant for a server that runs without API keys. */
export const DEFAULT_TENANT = 'default';
