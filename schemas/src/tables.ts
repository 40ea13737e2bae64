/** Database and table names: a contract with SQL users, dashboards and tests (DESIGN.md §3). */
export const DATABASE = 'agentflow';

export const TABLES = {
  TRACES: 'otel_traces',
  TRACES_TRACE_ID_TS: 'otel_traces_trace_id_ts',
  LOGS: 'otel_logs',
  MIGRATIONS: 'schema_migrations',
  SESSIONS: 'agent_sessions',
  SESSIONS_DATA: 'agent_sessions_data',
  ACTIONS: 'agent_actions',
  ACTIONS_DATA: 'agent_actions_data',
  TRANSITIONS: 'agent_state_transitions',
  TRANSITIONS_DATA: 'agent_state_transitions_data',
  DECISIONS: 'agent_decisions',
  DECISIONS_DATA: 'agent_decisions_data',
  COMMUNICATIONS: 'agent_communications',
  COMMUNICATIONS_DATA: 'agent_communications_data',
  UNPRICED_MODELS: 'unpriced_models',
  LIVE_SESSIONS: 'agent_live_sessions',
  INSTANCES: 'agent_instances',
  ROLLUP_HOURS: 'agent_rollup_hours',
  SESSION_ROLLUPS: 'agent_session_rollups',
  ACTION_ROLLUPS: 'agent_action_rollups',
  REPEAT_ROLLUPS: 'agent_repeat_rollups',
  ANOMALIES: 'anomalies',
  ANOMALIES_DATA: 'anomalies_data',
} as const;

/**
 * The column holding the tenant in every tenant-scoped table and view: `TenantId` in the
 * exporter-compatible `otel_*` tables, `tenant_id` in the agent tables. Queries, tenant filters
 * and purges all go by it.
 */
export const TENANT_COLUMNS: Readonly<Record<string, string>> = {
  [TABLES.TRACES]: 'TenantId',
  [TABLES.TRACES_TRACE_ID_TS]: 'TenantId',
  [TABLES.LOGS]: 'TenantId',
  [TABLES.SESSIONS]: 'tenant_id',
  [TABLES.SESSIONS_DATA]: 'tenant_id',
  [TABLES.ACTIONS]: 'tenant_id',
  [TABLES.ACTIONS_DATA]: 'tenant_id',
  [TABLES.TRANSITIONS]: 'tenant_id',
  [TABLES.TRANSITIONS_DATA]: 'tenant_id',
  [TABLES.DECISIONS]: 'tenant_id',
  [TABLES.DECISIONS_DATA]: 'tenant_id',
  [TABLES.COMMUNICATIONS]: 'tenant_id',
  [TABLES.COMMUNICATIONS_DATA]: 'tenant_id',
  [TABLES.UNPRICED_MODELS]: 'tenant_id',
  [TABLES.LIVE_SESSIONS]: 'tenant_id',
  [TABLES.INSTANCES]: 'tenant_id',
  [TABLES.ROLLUP_HOURS]: 'tenant_id',
  [TABLES.SESSION_ROLLUPS]: 'tenant_id',
  [TABLES.ACTION_ROLLUPS]: 'tenant_id',
  [TABLES.REPEAT_ROLLUPS]: 'tenant_id',
  [TABLES.ANOMALIES]: 'tenant_id',
  [TABLES.ANOMALIES_DATA]: 'tenant_id',
};

/** Default tenant for a server that runs without API keys. */
export const DEFAULT_TENANT = 'default';
