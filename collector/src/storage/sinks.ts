import {
  DATABASE, TABLES, type ActionRow, type AnomalyRow, type CommunicationRow, type DecisionRow, type LogRow, type SessionRow, type SpanRow, type TransitionRow,
} from '@agentflow/schemas';
import type { RowSink } from './batch-writer.js';
import { LOG_COLUMNS, SPAN_COLUMNS } from './encode-rows.js';
import { ACTION_COLUMNS, ANOMALY_COLUMNS, COMMUNICATION_COLUMNS, DECISION_COLUMNS, SESSION_COLUMNS, TRANSITION_COLUMNS } from './encode-agent-rows.js';

/** Raw spans into `otel_traces`. */
export const SPAN_SINK: RowSink<SpanRow> = {
  id: 1,
  table: `${DATABASE}.${TABLES.TRACES}`,
  columns: SPAN_COLUMNS,
};

/** Raw log records into `otel_logs`. */
export const LOG_SINK: RowSink<LogRow> = {
  id: 2,
  table: `${DATABASE}.${TABLES.LOGS}`,
  columns: LOG_COLUMNS,
};

/**
 * Derived rows are not waited on by anyone, and each insert has a fixed cost (and a part to
 * merge): they gather longer, and yield insert slots to raw spans. They are rebuilt from raw
 * spans after a crash (`agentflow rebuild`), so they skip the write-ahead log.
 */
const DERIVED = { flushMs: 2_000, priority: 1, durable: false };

/** Derived agent records into the versioned `*_data` tables (the DESIGN names are views over them). */
export const AGENT_SINKS = {
  sessions: { id: 3, table: `${DATABASE}.${TABLES.SESSIONS_DATA}`, columns: SESSION_COLUMNS, ...DERIVED } satisfies RowSink<SessionRow>,
  actions: { id: 4, table: `${DATABASE}.${TABLES.ACTIONS_DATA}`, columns: ACTION_COLUMNS, ...DERIVED } satisfies RowSink<ActionRow>,
  transitions: { id: 5, table: `${DATABASE}.${TABLES.TRANSITIONS_DATA}`, columns: TRANSITION_COLUMNS, ...DERIVED } satisfies RowSink<TransitionRow>,
  decisions: { id: 6, table: `${DATABASE}.${TABLES.DECISIONS_DATA}`, columns: DECISION_COLUMNS, ...DERIVED } satisfies RowSink<DecisionRow>,
  communications: {
    id: 7, table: `${DATABASE}.${TABLES.COMMUNICATIONS_DATA}`, columns: COMMUNICATION_COLUMNS, ...DERIVED,
  } satisfies RowSink<CommunicationRow>,
};

/**
 * Anomalies into `anomalies_data`. Not waited on either, but flushed sooner than the agent
 * records: an operator looks for a loop while it happens. Re-detected from raw spans by a rebuild.
 */
export const ANOMALY_SINK: RowSink<AnomalyRow> = {
  id: 8, table: `${DATABASE}.${TABLES.ANOMALIES_DATA}`, columns: ANOMALY_COLUMNS, ...DERIVED, flushMs: 500,
};

/** Every sink, for resolving WAL records to tables on recovery. */
export const ALL_SINKS = [SPAN_SINK, LOG_SINK, ...Object.values(AGENT_SINKS), ANOMALY_SINK] satisfies RowSink<never>[];
