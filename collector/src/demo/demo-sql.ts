import { AGENTFLOW, DATABASE, RESOURCE, TABLES } from '@agentflow/schemas';
import { quoteString } from '../storage/index.js';

/**
 * The queries the demo runs on `POST /api/v1/sql` to show what agentflow recorded. That endpoint
 * takes no bound parameters, so the only values in them are trace and instance ids the demo
 * generated itself, checked and quoted by {@link idList}.
 */

const T = (table: string): string => `${DATABASE}.${table}`;
/** A map column read by an attribute key from the schemas constants. */
const attr = (column: string, key: string): string => `${column}[${quoteString(key)}]`;

/** `('a', 'b')` from ids made of hex digits, letters and dashes; anything else is a bug in the demo. */
export function idList(ids: readonly string[]): string {
  for (const id of ids) if (!/^[0-9a-zA-Z-]{1,64}$/.test(id)) throw new Error(`unexpected id in a demo query: ${id}`);
  return `(${ids.map(quoteString).join(', ')})`;
}

/** Sessions of the traces not still running, for waiting until assembly derived them. */
export function settledSessionsSql(traceIds: readonly string[]): string {
  return `SELECT count() AS n FROM ${T(TABLES.SESSIONS)} WHERE trace_id IN ${idList(traceIds)} AND status != 'running'`;
}

/** One row per session: who, under whom, in which process, outcome, calls, tokens and cost. */
export function sessionsSql(traceIds: readonly string[]): string {
  return `SELECT s.agent_name AS agent, p.agent_name AS parent, s.service_instance_id AS process, s.status AS status,
  if(s.status = 'running', 'running', concat(toString(round(s.duration_ms / 1000, 2)), ' s')) AS duration,
  s.llm_calls AS llm, s.tool_calls AS tools, s.errors AS errors,
  concat(toString(s.input_tokens), ' / ', toString(s.output_tokens)) AS \`tokens in/out\`,
  concat('$', toString(round(s.cost_usd, 5))) AS cost
FROM ${T(TABLES.SESSIONS)} AS s LEFT JOIN ${T(TABLES.SESSIONS)} AS p ON p.session_id = s.parent_session_id AND p.trace_id = s.trace_id
WHERE s.trace_id IN ${idList(traceIds)}
ORDER BY s.started_at`;
}

/** Actions grouped by type: how many, failed, retried, tokens and cost. */
export function actionsByTypeSql(traceIds: readonly string[]): string {
  return `SELECT action_type AS type, count() AS actions, countIf(status = 'failed') AS failed, countIf(retry_attempt > 0) AS retries,
  sum(input_tokens) AS \`input tokens\`, sum(output_tokens) AS \`output tokens\`, concat('$', toString(round(sum(cost_usd), 5))) AS cost,
  arrayStringConcat(arraySort(groupUniqArray(if(tool_name != '', tool_name, model))), ', ') AS \`tools / models\`
FROM ${T(TABLES.ACTIONS)} WHERE trace_id IN ${idList(traceIds)}
GROUP BY action_type ORDER BY action_type`;
}

/** Tool calls repeated with identical arguments in one session: the loops. */
export function repeatedCallsSql(traceIds: readonly string[]): string {
  return `SELECT agent_name AS agent, tool_name AS tool, args_hash AS \`args hash\`, count() AS calls
FROM ${T(TABLES.ACTIONS)} WHERE trace_id IN ${idList(traceIds)} AND action_type = 'tool_call' AND args_hash != ''
GROUP BY agent_name, session_id, tool_name, args_hash HAVING count() > 2 ORDER BY calls DESC`;
}

/** Each session's path through its states, in order. */
export function statePathsSql(traceIds: readonly string[]): string {
  return `SELECT s.agent_name AS agent, arrayStringConcat(arrayMap(x -> x.2, arraySort(groupArray((t.sequence, t.to_state)))), ' → ') AS states
FROM ${T(TABLES.TRANSITIONS)} AS t INNER JOIN ${T(TABLES.SESSIONS)} AS s ON s.session_id = t.session_id AND s.trace_id = t.trace_id
WHERE t.trace_id IN ${idList(traceIds)}
GROUP BY s.agent_name, s.started_at ORDER BY s.started_at`;
}

/** Decisions with their alternatives and the choice. */
export function decisionsSql(traceIds: readonly string[]): string {
  return `SELECT s.agent_name AS agent, d.question AS question, arrayStringConcat(d.options, ' | ') AS options, d.chosen AS chosen,
  d.confidence AS confidence, d.method AS method
FROM ${T(TABLES.DECISIONS)} AS d INNER JOIN ${T(TABLES.SESSIONS)} AS s ON s.session_id = d.session_id AND s.trace_id = d.trace_id
WHERE d.trace_id IN ${idList(traceIds)} ORDER BY d.decided_at`;
}

/** Messages and delegations between agents. */
export function communicationsSql(traceIds: readonly string[]): string {
  return `SELECT from_agent AS \`from\`, to_agent AS \`to\`, message_type AS type, channel, if(to_session_id != '', 'yes', '') AS \`linked to session\`
FROM ${T(TABLES.COMMUNICATIONS)} WHERE trace_id IN ${idList(traceIds)} ORDER BY sent_at, message_type`;
}

/**
 * Sessions that started and have not ended, from the live view over the agents'
 * `agentflow.span.start` records, with their process's state from its heartbeats: `running`
 * while the process is alive, `orphaned` once it went offline with the session still open.
 */
export function runningSessionsSql(traceIds: readonly string[]): string {
  return `SELECT l.agent_name AS agent, l.service_instance_id AS process, if(i.status = 'offline', 'orphaned', 'running') AS status,
  formatDateTime(l.started_at, '%H:%i:%S') AS \`started at\`, l.last_action AS \`last action\`, concat(toString(round(l.idle_ms / 1000, 1)), ' s') AS idle
FROM ${T(TABLES.LIVE_SESSIONS)} AS l LEFT JOIN ${T(TABLES.INSTANCES)} AS i ON i.tenant_id = l.tenant_id AND i.service_instance_id = l.service_instance_id
WHERE l.trace_id IN ${idList(traceIds)} ORDER BY l.started_at`;
}

/** Anomalies found in the run's traces: loops, stuck and orphaned sessions, broken budgets. */
export function anomaliesSql(traceIds: readonly string[]): string {
  return `SELECT agent_name AS agent, kind, severity, count, detail, if(resolved_at IS NULL, 'open', 'resolved') AS state
FROM ${T(TABLES.ANOMALIES)} WHERE trace_id IN ${idList(traceIds)} ORDER BY detected_at, kind`;
}

/** The run's processes in the agent registry (from heartbeats), with how many heartbeats each sent. */
export function instancesSql(instanceIds: readonly string[]): string {
  const instance = attr('ResourceAttributes', RESOURCE.SERVICE_INSTANCE_ID);
  return `SELECT i.service_instance_id AS process, i.service_name AS service, i.status AS status, i.current_load AS load,
  i.max_capacity AS capacity, h.beats AS heartbeats
FROM ${T(TABLES.INSTANCES)} AS i
LEFT JOIN (SELECT ${instance} AS id, count() AS beats FROM ${T(TABLES.LOGS)} WHERE EventName = ${quoteString(AGENTFLOW.HEARTBEAT_EVENT)} GROUP BY id) AS h
  ON h.id = i.service_instance_id
WHERE i.service_instance_id IN ${idList(instanceIds)} ORDER BY process`;
}

/** The run's total cost and where it came from. */
export function totalCostSql(traceIds: readonly string[]): string {
  return `SELECT round(sum(cost_usd), 6) AS total, countIf(action_type = 'llm_call') AS llm_calls, countIf(action_type = 'llm_call' AND cost_source = 'computed') AS computed,
  countIf(action_type = 'llm_call' AND cost_source = 'unknown') AS unpriced
FROM ${T(TABLES.ACTIONS)} WHERE trace_id IN ${idList(traceIds)}`;
}

/** How many anomalies of one kind the traces have (the kind is one of the demo's own constants). */
export function anomalyCountSql(traceIds: readonly string[], kind: string): string {
  return `SELECT count() AS n FROM ${T(TABLES.ANOMALIES)} WHERE trace_id IN ${idList(traceIds)} AND kind = ${quoteString(kind)}`;
}
