/**
 * The query bench's dataset as `INSERT … SELECT … FROM numbers(sessions)` statements: every row
 * is a pure function of the session number and a seed, so the raw spans and each derived table
 * agree without a join, and 10M spans take minutes instead of the hours the OTLP path would.
 *
 * Shape: sessions come in blocks of six forming three traces of one, two and three sessions (a
 * root agent delegating to one or two sub-agents). A session has 4–11 actions (LLM calls on even
 * steps; tool calls or retrievals on odd ones), so 5–12 spans with its agent span, 8.5 on average.
 * Agents are skewed (the busiest has ~10% of sessions, the rarest ~1%); trace starts are uniform
 * over the 7 days before `now` (minus 10 minutes at each end); 8% of sessions fail (their last
 * action with them), 3% of tool calls fail on their own and 2% of actions are retries; half of the
 * sessions have three state transitions, a fifth a decision; every sub-agent has a delegation.
 * The derived rows are what assembly makes of the raw spans (checked with a rebuild: every row
 * and column matches, costs included, since the LLM spans carry the cost they were charged). Every tenth block belongs to a second tenant, and 1% of traces are stored twice with
 * a higher version (a re-derivation), so FINAL has duplicates to collapse, as in production.
 */
import { AGENTFLOW, DATABASE, GEN_AI, GENERAL, GEN_AI_OPERATION, RESOURCE, TABLES } from '@agentflow/schemas';
import { quoteString } from '../dist/storage/index.js';
import { AGENT_COUNT, MODEL_COUNT, TOOL_COUNT, ERROR_COUNT, VOCABULARY_TYPES, vocabularyParams } from './query-vocabulary.js';

/** What to generate. */
export interface DatasetPlan {
  /** Spans wanted; sessions = round(spans / 8.5), the exact count depends on the draws. */
  spans: number;
  seed: number;
  /** The tenant the bench reads as, and the one whose rows every answer must leave out. */
  tenant: string;
  otherTenant: string;
  /** End of the generated time window, ns since the epoch. */
  nowNs: bigint;
  /** Stored as every row's version (the re-derived copies get version + 1). */
  version: bigint;
}

/** Mean spans per session: 1 agent span + 4–11 actions, uniform. */
export const MEAN_SPANS_PER_SESSION = 8.5;
const DAY_NS = 86_400_000_000_000n;
/** Sessions start between 7 days minus this and this before `now`. */
const EDGE_NS = 600_000_000_000n;

/** Sessions to generate for about `spans` spans. */
export function sessionsFor(spans: number): number {
  return Math.max(6, Math.round(spans / MEAN_SPANS_PER_SESSION));
}

/** Parameters of every statement. */
export function datasetParams(plan: DatasetPlan): Record<string, unknown> {
  return {
    ...vocabularyParams(),
    seed: plan.seed,
    sessions: sessionsFor(plan.spans),
    tenant: plan.tenant,
    other_tenant: plan.otherTenant,
    tool_error: TOOL_ERROR,
    now_ns: (plan.nowNs - EDGE_NS).toString(),
    window_ns: (7n * DAY_NS - 2n * EDGE_NS).toString(),
    version: plan.version.toString(),
  };
}

/** The message of a tool call that fails on its own. */
const TOOL_ERROR = 'tool returned HTTP 500 Internal Server Error';

const v = (name: string): string => `{${name}:${VOCABULARY_TYPES[name]}}`;
const q = quoteString;
const hex16 = (x: string): string => `leftPad(lower(hex(${x})), 16, '0')`;
/** A uniform draw in [0, 1) for the session (`key` names the draw). */
const u = (key: string, of = 's'): string => `(cityHash64({seed:UInt64}, ${q(key)}, ${of}) % 1000000) / 1e6`;
/** A hash of (session, action step). */
const ha = (j: string, key: string): string => `cityHash64({seed:UInt64}, ${q(key)}, s, ${j})`;
const ua = (j: string, key: string): string => `(${ha(j, key)} % 1000000) / 1e6`;
const agentIdx = (of: string): string => `toUInt32(floor(pow(${u('agent', of)}, 1.7) * ${AGENT_COUNT}))`;

/** One row per session with everything its rows are computed from; read by every statement. */
const SESSIONS = `
SELECT
  number AS s, intDiv(s, 6) AS blk, s % 6 AS pos,
  if(blk % 10 = 9, {other_tenant:String}, {tenant:String}) AS tenant,
  multiIf(pos < 1, 0, pos < 3, 1, 2) AS trace_in_blk, multiIf(pos < 1, 0, pos < 3, 1, 3) AS root_pos,
  blk * 3 + trace_in_blk AS t, blk * 6 + root_pos AS root_s, pos = root_pos AS is_root, pos - root_pos AS child_no,
  ${hex16("cityHash64({seed:UInt64}, 'span', s)")} AS session_id,
  ${hex16("cityHash64({seed:UInt64}, 'span', root_s)")} AS root_session_id,
  if(is_root, '', root_session_id) AS parent_session_id,
  concat(${hex16("cityHash64({seed:UInt64}, 'trace', t)")}, ${hex16("cityHash64({seed:UInt64}, 'trace2', t)")}) AS trace_id,
  ${agentIdx('s')} AS agent_idx, ${agentIdx('root_s')} AS root_agent_idx, agent_idx % 10 AS role,
  ${v('agents')}[agent_idx + 1] AS agent_name, ${v('agents')}[root_agent_idx + 1] AS root_agent_name,
  {now_ns:Int64} - toInt64(${u('start', 't')} * {window_ns:Int64}) AS trace_start_ns,
  trace_start_ns + child_no * 250000000 + if(child_no > 0, toInt64(${u('offset')} * 400000000), 0) AS start_ns,
  4 + cityHash64({seed:UInt64}, 'actions', s) % 8 AS n_actions,
  300 * exp(${u('step')} * log(20)) AS step_ms,
  n_actions * step_ms + 40 + if(is_root AND trace_in_blk > 0, 8000, 0) AS duration_ms,
  start_ns + toInt64(duration_ms * 1e6) AS end_ns,
  ${u('status')} AS status_u,
  if(${u('status')} < 0.08, 'failed', 'completed') AS status,
  1 + cityHash64({seed:UInt64}, 'error', s) % ${ERROR_COUNT} AS error_no,
  if(status = 'failed', ${v('error_types')}[error_no], '') AS error_type,
  if(status = 'failed', ${v('error_messages')}[error_no], '') AS error_message,
  if(${u('model')} < 0.2, (agent_idx + 1) % ${MODEL_COUNT}, agent_idx % ${MODEL_COUNT}) AS model_idx,
  ${v('models')}[model_idx + 1] AS model, ${v('providers')}[model_idx + 1] AS provider,
  ${u('transitions')} < 0.5 AS has_transitions, ${u('decision')} < 0.2 AS has_decision,
  ${u('chosen')} < 0.8 AS answered, if(answered, 'answer', 'escalate') AS chosen, if(answered, 0, 1) AS chosen_index,
  0.5 + ${u('confidence')} / 2 AS confidence,
  concat('conv-', ${hex16("cityHash64({seed:UInt64}, 'conv', t)")}) AS conversation_id,
  concat('user-', toString(cityHash64({seed:UInt64}, 'user', t) % 5000)) AS user_id,
  concat('task-', ${hex16("cityHash64({seed:UInt64}, 'task', s)")}) AS task_id,
  ${v('workflows')}[role + 1] AS workflow_name, ${v('goal_types')}[role + 1] AS goal_type,
  concat(${v('goals')}[role + 1], ' #', toString(cityHash64({seed:UInt64}, 'goal', s) % 100000)) AS goal,
  if(is_root, ${v('triggers')}[1 + cityHash64({seed:UInt64}, 'trigger', t) % 3], 'delegation') AS trigger,
  ${v('services')}[role + 1] AS service_name,
  concat(service_name, '-', toString(cityHash64({seed:UInt64}, 'instance', s) % 4)) AS service_instance_id
FROM numbers({sessions:UInt64})`;

/** Per-action expressions of the step `j` (0-based), over the session's columns. */
const A = {
  type: (j: string) => `multiIf(${j} % 2 = 0, 'llm_call', ${ua(j, 'retrieval')} < 0.1, 'retrieval', 'tool_call')`,
  tool: (j: string) => `if(${A.type(j)} = 'tool_call', ${v('tools')}[1 + (agent_idx * 3 + ${ha(j, 'tool')} % 5) % ${TOOL_COUNT}], '')`,
  failed: (j: string) => `((status = 'failed' AND ${j} + 1 = n_actions) OR (${j} % 2 = 1 AND ${ua(j, 'fail')} < 0.03))`,
  retry: (j: string) => `if(${ua(j, 'retry')} < 0.02, 1, 0)`,
  input: (j: string) => `if(${j} % 2 = 0, 300 + ${ha(j, 'in')} % 6000, 0)`,
  output: (j: string) => `if(${j} % 2 = 0, 20 + ${ha(j, 'out')} % 900, 0)`,
  cacheRead: (j: string) => `if(${j} % 2 = 0 AND ${ha(j, 'cache')} % 3 = 0, intDiv(${A.input(j)}, 2), 0)`,
  reasoning: (j: string) => `if(${j} % 2 = 0 AND model_idx = 2, intDiv(${A.output(j)}, 3), 0)`,
  cost: (j: string) => `(${A.input(j)} * ${v('price_in')}[model_idx + 1] + ${A.output(j)} * ${v('price_out')}[model_idx + 1]) / 1e6`,
};
const sumOver = (expr: (j: string) => string): string => `arraySum(arrayMap(j -> ${expr('j')}, range(n_actions)))`;
const countOver = (expr: (j: string) => string): string => `arrayCount(j -> ${expr('j')}, range(n_actions))`;

/** The session rows with their actions' columns, one row per action (`j`). */
const ACTIONS = `
SELECT *, j,
  ${A.type('j')} AS action_type, ${A.tool('j')} AS tool_name, ${A.failed('j')} AS failed,
  ${hex16("cityHash64({seed:UInt64}, 'action', s, j)")} AS action_id,
  start_ns + 20000000 + toInt64(j * step_ms * 1e6) AS action_start_ns,
  step_ms * (0.6 + 0.35 * ${ua('j', 'duration')}) AS action_ms,
  ${A.input('j')} AS input_tokens, ${A.output('j')} AS output_tokens, ${A.cacheRead('j')} AS cache_read_tokens,
  ${A.reasoning('j')} AS reasoning_tokens, ${A.cost('j')} AS cost_usd, ${A.retry('j')} AS retry_attempt,
  multiIf(action_type = 'llm_call', concat('chat ', model), action_type = 'tool_call', concat('execute_tool ', tool_name), 'retrieval search_kb') AS span_name,
  if(failed, if(j + 1 = n_actions AND status = 'failed', error_type, 'ToolError'), '') AS action_error_type,
  if(failed, if(j + 1 = n_actions AND status = 'failed', error_message, {tool_error:String}), '') AS action_error
FROM (${SESSIONS}) ARRAY JOIN range(n_actions) AS j`;

const ts = (ns: string): string => `fromUnixTimestamp64Nano(${ns})`;
const T = `${DATABASE}.`;

/** `agent_sessions_data`: one row per session, its figures summed from its actions. */
const INSERT_SESSIONS = `
INSERT INTO ${T}${TABLES.SESSIONS_DATA} (tenant_id, session_id, trace_id, root_session_id, parent_session_id, agent_id, agent_name,
  agent_type, agent_description, goal, goal_type, task_id, workflow_name, conversation_id, user_id, trigger, status, started_at, ended_at,
  duration_ms, llm_calls, tool_calls, actions, errors, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
  reasoning_tokens, cost_usd, unpriced_calls, error_type, error_message, service_name, service_instance_id, span_name, dialect, implicit, version)
SELECT tenant, session_id, trace_id, root_session_id, parent_session_id, concat('agent-id-', toString(agent_idx)), agent_name,
  ${v('roles')}[role + 1], '', goal, goal_type, task_id, workflow_name, conversation_id, user_id, trigger, status, ${ts('start_ns')}, ${ts('end_ns')},
  duration_ms, ${countOver((j) => `${j} % 2 = 0`)}, ${countOver((j) => `${A.type(j)} = 'tool_call'`)}, n_actions,
  ${countOver(A.failed)} + (status = 'failed'),
  ${sumOver(A.input)}, ${sumOver(A.output)}, ${sumOver(A.cacheRead)}, 0, ${sumOver(A.reasoning)}, ${sumOver(A.cost)}, 0,
  -- A completed session with a failed tool call carries that call's error (the only kind that fails alone).
  multiIf(status = 'failed', error_type, ${countOver(A.failed)} > 0, 'ToolError', ''),
  multiIf(status = 'failed', error_message, ${countOver(A.failed)} > 0, {tool_error:String}, ''), service_name, service_instance_id, concat('invoke_agent ', agent_name), 'otel-genai', 0, {version:UInt64}
FROM (${SESSIONS})`;

/** `agent_actions_data`: one row per action. */
const INSERT_ACTIONS = `
INSERT INTO ${T}${TABLES.ACTIONS_DATA} (tenant_id, action_id, session_id, trace_id, parent_span_id, agent_name, sequence, action_type, name,
  tool_name, tool_call_id, model, request_model, provider, status, error_type, error, retry_attempt, input_tokens, output_tokens,
  cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, cost_source, started_at, ended_at, duration_ms, args_hash,
  result_hash, finish_reasons, quality_score, version)
SELECT tenant, action_id, session_id, trace_id, session_id, agent_name, j + 1, action_type, span_name,
  tool_name, if(action_type = 'tool_call', concat('call-', action_id), ''), if(action_type = 'llm_call', model, ''),
  if(action_type = 'llm_call', model, ''), if(action_type = 'llm_call', provider, ''), if(failed, 'failed', 'completed'),
  action_error_type, action_error, retry_attempt, input_tokens, output_tokens,
  cache_read_tokens, 0, reasoning_tokens, cost_usd, if(action_type = 'llm_call', 'provided', 'computed'),
  ${ts('action_start_ns')}, ${ts('action_start_ns + toInt64(action_ms * 1e6)')}, action_ms,
  if(action_type = 'tool_call', ${hex16(`cityHash64({seed:UInt64}, 'args', s, if(${ua('j', 'repeat')} < 0.3, 0, j))`)}, ''), '',
  if(action_type = 'llm_call', ['stop'], []), NULL, {version:UInt64}
FROM (${ACTIONS})`;

/** When the n-th (0–2) state of a session with transitions was entered. */
const enteredNs = (n: string): string => `start_ns + toInt64(${n} * duration_ms / 3 * 1e6)`;
const FROM_STATES = `['idle', 'planning', 'acting']`;
const toStates = `['planning', 'acting', if(status = 'completed', 'done', 'failed')]`;

/** `agent_state_transitions_data`: idle → planning → acting → done/failed for half of the sessions. */
const INSERT_TRANSITIONS = `
INSERT INTO ${T}${TABLES.TRANSITIONS_DATA} (tenant_id, transition_id, session_id, trace_id, sequence, from_state, to_state, reason,
  transition_type, entered_at, exited_at, duration_ms, version)
SELECT tenant, concat(session_id, ':', toString(n)), session_id, trace_id, n + 1, ${FROM_STATES}[n + 1], ${toStates}[n + 1], '',
  'normal', ${ts(enteredNs('n'))}, ${ts(enteredNs('(n + 1)'))}, duration_ms / 3, {version:UInt64}
FROM (${SESSIONS}) ARRAY JOIN range(3) AS n WHERE has_transitions`;

/** `agent_decisions_data`: one routing decision for a fifth of the sessions. */
const INSERT_DECISIONS = `
INSERT INTO ${T}${TABLES.DECISIONS_DATA} (tenant_id, decision_id, session_id, trace_id, action_id, decision_type, question, options,
  chosen, chosen_index, reasoning, confidence, method, decided_at, version)
SELECT tenant, concat(session_id, ':0'), session_id, trace_id, '', 'route', 'answer or escalate?', ['answer', 'escalate'],
  chosen, chosen_index, 'the question is in scope', confidence, 'llm', ${ts('start_ns + 10000000')}, {version:UInt64}
FROM (${SESSIONS}) WHERE has_decision`;

/** `agent_communications_data`: the delegation from the root to each sub-agent. */
const INSERT_COMMUNICATIONS = `
INSERT INTO ${T}${TABLES.COMMUNICATIONS_DATA} (tenant_id, communication_id, trace_id, from_session_id, to_session_id, from_agent,
  to_agent, message_type, request_id, in_response_to, channel, sent_at, version)
SELECT tenant, concat('delegation:', session_id), trace_id, root_session_id, session_id, root_agent_name, agent_name, 'delegation',
  '', '', '', ${ts('start_ns')}, {version:UInt64}
FROM (${SESSIONS}) WHERE NOT is_root`;

const RESOURCE_MAP = `map(${q(RESOURCE.SERVICE_NAME)}, service_name, ${q(RESOURCE.SERVICE_INSTANCE_ID)}, service_instance_id,
  ${q(RESOURCE.HOST_NAME)}, concat('bench-host-', toString(cityHash64(service_instance_id) % 8)),
  ${q(RESOURCE.TELEMETRY_SDK_LANGUAGE)}, 'nodejs', ${q(RESOURCE.TELEMETRY_SDK_NAME)}, 'opentelemetry')`;
const SPAN_COLUMNS = `TenantId, Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, ResourceAttributes,
  ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode, StatusMessage, \`Events.Timestamp\`, \`Events.Name\`, \`Events.Attributes\``;
/** `map` plus `key` → `value` where `cond` holds. */
const withKey = (map: string, cond: string, key: string, value: string): string => `if(${cond}, mapConcat(${map}, map(${q(key)}, ${value})), ${map})`;
const withError = (map: string, failed: string, type: string): string => withKey(map, failed, GENERAL.ERROR_TYPE, type);
const stateAttrs = (n: number): string =>
  `map(${q(AGENTFLOW.STATE_FROM)}, ${FROM_STATES}[${n + 1}], ${q(AGENTFLOW.STATE_TO)}, ${toStates}[${n + 1}])`;

/** `otel_traces`, agent spans: GenAI invoke_agent attributes, state and decision events. */
const INSERT_AGENT_SPANS = `
INSERT INTO ${T}${TABLES.TRACES} (${SPAN_COLUMNS})
SELECT tenant, ${ts('start_ns')}, trace_id, session_id, parent_session_id, concat('invoke_agent ', agent_name), 'Internal', service_name,
  ${RESOURCE_MAP}, '@agentflow/instrumentation', '0.1.0',
  ${withError(`map(${q(GEN_AI.OPERATION_NAME)}, ${q(GEN_AI_OPERATION.INVOKE_AGENT)}, ${q(GEN_AI.AGENT_NAME)}, agent_name,
    ${q(GEN_AI.AGENT_ID)}, concat('agent-id-', toString(agent_idx)), ${q(AGENTFLOW.AGENT_TYPE)}, ${v('roles')}[role + 1],
    ${q(AGENTFLOW.GOAL)}, goal, ${q(AGENTFLOW.GOAL_TYPE)}, goal_type, ${q(GEN_AI.CONVERSATION_ID)}, conversation_id,
    ${q(GEN_AI.WORKFLOW_NAME)}, workflow_name, ${q(GENERAL.USER_ID)}, user_id, ${q(AGENTFLOW.TRIGGER)}, trigger, ${q(AGENTFLOW.TASK_ID)}, task_id)`,
    "status = 'failed'", 'error_type')},
  toUInt64(duration_ms * 1e6), if(status = 'failed', 'Error', 'Unset'), error_message,
  arrayFilter((x, keep) -> keep, [${[0, 1, 2].map((n) => ts(enteredNs(String(n)))).join(', ')}, ${ts('start_ns + 10000000')}], [has_transitions, has_transitions, has_transitions, has_decision]),
  arrayFilter((x, keep) -> keep, [${q(AGENTFLOW.STATE_EVENT)}, ${q(AGENTFLOW.STATE_EVENT)}, ${q(AGENTFLOW.STATE_EVENT)}, ${q(AGENTFLOW.DECISION_EVENT)}],
    [has_transitions, has_transitions, has_transitions, has_decision]),
  arrayFilter((x, keep) -> keep, [${stateAttrs(0)}, ${stateAttrs(1)}, ${stateAttrs(2)},
    map(${q(AGENTFLOW.DECISION_TYPE)}, 'route', ${q(AGENTFLOW.DECISION_QUESTION)}, 'answer or escalate?', ${q(AGENTFLOW.DECISION_OPTIONS)}, '["answer","escalate"]',
      ${q(AGENTFLOW.DECISION_CHOSEN)}, chosen, ${q(AGENTFLOW.DECISION_CHOSEN_INDEX)}, toString(chosen_index),
      ${q(AGENTFLOW.DECISION_REASONING)}, 'the question is in scope', ${q(AGENTFLOW.DECISION_CONFIDENCE)}, toString(confidence),
      ${q(AGENTFLOW.DECISION_METHOD)}, 'llm')],
    [has_transitions, has_transitions, has_transitions, has_decision])
FROM (${SESSIONS})`;

/** GenAI attributes of an action span by its type: model, usage and the cost charged; tool; data source. */
const ACTION_ATTRIBUTES = `multiIf(
    action_type = 'llm_call', map(${q(GEN_AI.OPERATION_NAME)}, ${q(GEN_AI_OPERATION.CHAT)}, ${q(GEN_AI.PROVIDER_NAME)}, provider,
      ${q(GEN_AI.REQUEST_MODEL)}, model, ${q(GEN_AI.RESPONSE_MODEL)}, model, ${q(GEN_AI.USAGE_INPUT_TOKENS)}, toString(input_tokens),
      ${q(GEN_AI.USAGE_OUTPUT_TOKENS)}, toString(output_tokens), ${q(GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS)}, toString(cache_read_tokens),
      ${q(GEN_AI.USAGE_REASONING_OUTPUT_TOKENS)}, toString(reasoning_tokens), ${q(GEN_AI.USAGE_COST)}, toString(cost_usd),
      ${q(GEN_AI.RESPONSE_FINISH_REASONS)}, '["stop"]'),
    action_type = 'tool_call', map(${q(GEN_AI.OPERATION_NAME)}, ${q(GEN_AI_OPERATION.EXECUTE_TOOL)}, ${q(GEN_AI.TOOL_NAME)}, tool_name,
      ${q(GEN_AI.TOOL_CALL_ID)}, concat('call-', action_id), ${q(GEN_AI.TOOL_TYPE)}, 'function'),
    map(${q(GEN_AI.OPERATION_NAME)}, ${q(GEN_AI_OPERATION.RETRIEVAL)}, ${q(GEN_AI.DATA_SOURCE_ID)}, 'kb-main'))`;

/** `otel_traces`, action spans: chat / execute_tool / retrieval, with error type and retry attempt where they apply. */
const INSERT_ACTION_SPANS = `
INSERT INTO ${T}${TABLES.TRACES} (${SPAN_COLUMNS})
SELECT tenant, ${ts('action_start_ns')}, trace_id, action_id, session_id, span_name, if(action_type = 'llm_call', 'Client', 'Internal'),
  service_name, ${RESOURCE_MAP}, '@agentflow/instrumentation', '0.1.0',
  ${withKey(withError(ACTION_ATTRIBUTES, 'failed', 'action_error_type'), 'retry_attempt > 0', AGENTFLOW.RETRY_ATTEMPT, 'toString(retry_attempt)')},
  toUInt64(action_ms * 1e6), if(failed, 'Error', 'Unset'), action_error, [], [], []
FROM (${ACTIONS})`;

/** 1% of traces derived again: every session and action row stored a second time with version + 1. */
const rederive = (table: string): string =>
  `INSERT INTO ${T}${table} SELECT * REPLACE (version + 1 AS version) FROM ${T}${table} WHERE cityHash64(trace_id) % 100 = 0`;

/** One step of the generation, named for the log. */
export interface DatasetStatement {
  name: string;
  sql: string;
}

/**
 * The statements that fill an empty, migrated database, in order (`otel_traces_trace_id_ts` is
 * filled by its materialized view). Run each with {@link datasetParams}.
 */
export const DATASET_STATEMENTS: readonly DatasetStatement[] = [
  { name: 'otel_traces (agent spans)', sql: INSERT_AGENT_SPANS },
  { name: 'otel_traces (action spans)', sql: INSERT_ACTION_SPANS },
  { name: TABLES.SESSIONS_DATA, sql: INSERT_SESSIONS },
  { name: TABLES.ACTIONS_DATA, sql: INSERT_ACTIONS },
  { name: TABLES.TRANSITIONS_DATA, sql: INSERT_TRANSITIONS },
  { name: TABLES.DECISIONS_DATA, sql: INSERT_DECISIONS },
  { name: TABLES.COMMUNICATIONS_DATA, sql: INSERT_COMMUNICATIONS },
  { name: `${TABLES.SESSIONS_DATA} (1% re-derived)`, sql: rederive(TABLES.SESSIONS_DATA) },
  { name: `${TABLES.ACTIONS_DATA} (1% re-derived)`, sql: rederive(TABLES.ACTIONS_DATA) },
];
