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
} as const;

/** Default tenant for a server that runs without API keys. */
export const DEFAULT_TENANT = 'default';
