/**
 * Anomalies: problems the processor finds in sessions while they run or once they end
 * (schemas/sql/0007_anomalies.sql). Times are nanoseconds since the epoch.
 */

/** Every anomaly kind, grouped by the family before the dot (`loop`, `stuck`, `budget`, …). */
export const ANOMALY_KINDS = [
  'loop.repeat_call',
  'loop.repeat_error',
  'loop.ping_pong',
  'loop.no_progress',
  'loop.repeated_output',
  'loop.state_revisit',
  'stuck.stale',
  'stuck.orphaned',
  'stuck.open_span',
  'stuck.no_progress',
  'budget.llm_calls',
  'budget.tool_calls',
  'budget.steps',
  'budget.tokens',
  'budget.cost',
  'budget.duration',
  'budget.cost_rate',
  'workflow.incomplete',
  'workflow.bound',
  'quality.poor_response',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** Values of `anomalies.severity`: a warning asks for attention, a critical one for a stop. */
export const ANOMALY_SEVERITIES = ['warning', 'critical'] as const;
export type AnomalySeverity = (typeof ANOMALY_SEVERITIES)[number];

/** One `anomalies` row, in one version: re-detection writes the same `anomalyId` with a newer version. */
export interface AnomalyRow {
  tenantId: string;
  /** Deterministic from what was found (kind, trace, first evidence, key), so re-detection never adds a second row. */
  anomalyId: string;
  /** The session it concerns; '' for an anomaly of an agent or tenant as a whole (`budget.cost_rate`). */
  sessionId: string;
  traceId: string;
  agentName: string;
  kind: AnomalyKind;
  severity: AnomalySeverity;
  /** Plain language naming the evidence, e.g. "get_forecast called 6 times in a row with the same arguments". */
  detail: string;
  /** Span ids that show it, in order (at most a few dozen). */
  evidence: string[];
  /** How many times the pattern occurred (repeats, visits, units over budget…). */
  count: number;
  detectedAt: bigint;
  lastSeenAt: bigint;
  /** When the session made progress again or ended; null while open. */
  resolvedAt: bigint | null;
  version: bigint;
}

/** What a session has used so far: the figures budgets and the guard go by. */
export interface SessionUsage {
  llmCalls: number;
  toolCalls: number;
  /** Actions of any kind. */
  steps: number;
  /** Input plus output tokens. */
  tokens: number;
  costUsd: number;
  durationMs: number;
}

/** A session's figures as detection last saw them, for the guard's verdict. */
export interface SessionSnapshot {
  tenantId: string;
  sessionId: string;
  traceId: string;
  agentName: string;
  /** False once the session's agent span has ended (its figures are then in `agent_sessions`). */
  running: boolean;
  usage: SessionUsage;
  startedNs: bigint;
  lastActivityNs: bigint;
}

/** What one detection pass hands on: anomalies that are new or changed, and the figures of the sessions it saw. */
export interface Detected {
  anomalies: AnomalyRow[];
  sessions: SessionSnapshot[];
}

/**
 * An anomaly as agentflow's JSON answers show it (the REST API, alert webhooks): the columns of
 * `agentflow.anomalies` by name, times as ISO 8601 UTC strings.
 */
export interface AnomalyJson {
  anomaly_id: string;
  /** '' for an anomaly of an agent or tenant as a whole (`budget.cost_rate`). */
  session_id: string;
  trace_id: string;
  agent_name: string;
  /** One of {@link ANOMALY_KINDS}. */
  kind: string;
  /** `warning` or `critical`. */
  severity: string;
  /** Plain language naming the evidence. */
  detail: string;
  /** Span ids that show it, in order: for actions, their `action_id`. */
  evidence: string[];
  /** How many times the pattern occurred (repeats, visits, units over budget…). */
  count: number;
  detected_at: string;
  last_seen_at: string;
  /** When the session made progress again or ended; null while the anomaly is open. */
  resolved_at: string | null;
}
