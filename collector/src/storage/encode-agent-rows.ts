import type { ActionRow, AnomalyRow, CommunicationRow, DecisionRow, SessionRow, TransitionRow } from '@agentflow/schemas';
import {
  array, BOOL, column, FLOAT32, FLOAT64, INT32, nullable, STRING, TIME_NS, UINT16, UINT32, UINT64, UINT64_NUMBER,
  type NativeCodec, type NativeColumn,
} from './native-block.js';

// Columns of the versioned agent tables (schemas/sql/0003_agent_tables.sql). Each row field is
// stored in the column of the same name in snake case.

/** For rows of type Row: the columns of `keys`, all laid out by `codec`. */
function fieldsOf<Row>() {
  return <K extends keyof Row & string>(codec: NativeCodec<Row[K]>, ...keys: K[]): NativeColumn<Row>[] =>
    keys.map((key) => column(key.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`), codec, fieldReader<Row, K>(key)));
}

/**
 * A reader of one named field, compiled for that field: a single shared `(r) => r[key]` saw
 * every field of every table, went megamorphic and was a tenth of the assembly thread's
 * encoding time. Keys are this file's own literals, checked to be plain identifiers.
 */
function fieldReader<Row, K extends keyof Row & string>(key: K): (row: Row) => Row[K] {
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) throw new Error(`not a plain field name: ${key}`);
  return new Function('row', `return row.${key};`) as (row: Row) => Row[K];
}

const TOKENS = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens'] as const;

const session = fieldsOf<SessionRow>();
export const SESSION_COLUMNS: readonly NativeColumn<SessionRow>[] = [
  ...session(STRING, 'tenantId', 'sessionId', 'traceId', 'rootSessionId', 'parentSessionId', 'agentId',
    'agentName', 'agentType', 'agentDescription', 'goal', 'goalType', 'taskId', 'workflowName', 'conversationId', 'userId',
    'trigger', 'status', 'errorType', 'errorMessage', 'serviceName', 'serviceInstanceId', 'spanName', 'dialect'),
  ...session(TIME_NS, 'startedAt', 'endedAt'),
  ...session(FLOAT64, 'durationMs', 'costUsd'),
  ...session(UINT32, 'llmCalls', 'toolCalls', 'actions', 'errors', 'unpricedCalls'),
  ...session(UINT64_NUMBER, ...TOKENS),
  ...session(BOOL, 'implicit'),
  ...session(UINT64, 'version'),
];

const action = fieldsOf<ActionRow>();
export const ACTION_COLUMNS: readonly NativeColumn<ActionRow>[] = [
  ...action(STRING, 'tenantId', 'actionId', 'sessionId', 'traceId', 'parentSpanId', 'agentName',
    'actionType', 'name', 'toolName', 'toolCallId', 'model', 'requestModel', 'provider', 'status', 'errorType', 'error',
    'costSource', 'argsHash', 'resultHash'),
  ...action(UINT32, 'sequence'),
  ...action(UINT16, 'retryAttempt'),
  ...action(UINT64_NUMBER, ...TOKENS),
  ...action(FLOAT64, 'costUsd', 'durationMs'),
  ...action(TIME_NS, 'startedAt', 'endedAt'),
  ...action(array(STRING), 'finishReasons', 'qualityIssues'),
  ...action(nullable(FLOAT32, 0), 'qualityScore'),
  ...action(UINT64, 'version'),
];

const transition = fieldsOf<TransitionRow>();
export const TRANSITION_COLUMNS: readonly NativeColumn<TransitionRow>[] = [
  ...transition(STRING, 'tenantId', 'transitionId', 'sessionId', 'traceId', 'fromState', 'toState',
    'reason', 'transitionType'),
  ...transition(UINT32, 'sequence'),
  ...transition(TIME_NS, 'enteredAt'),
  ...transition(nullable(TIME_NS, 0n), 'exitedAt'),
  ...transition(nullable(FLOAT64, 0), 'durationMs'),
  ...transition(UINT64, 'version'),
];

const decision = fieldsOf<DecisionRow>();
export const DECISION_COLUMNS: readonly NativeColumn<DecisionRow>[] = [
  ...decision(STRING, 'tenantId', 'decisionId', 'sessionId', 'traceId', 'actionId', 'decisionType',
    'question', 'chosen', 'reasoning', 'method'),
  ...decision(array(STRING), 'options'),
  ...decision(INT32, 'chosenIndex'),
  ...decision(nullable(FLOAT64, 0), 'confidence'),
  ...decision(TIME_NS, 'decidedAt'),
  ...decision(UINT64, 'version'),
];

const communication = fieldsOf<CommunicationRow>();
export const COMMUNICATION_COLUMNS: readonly NativeColumn<CommunicationRow>[] = [
  ...communication(STRING, 'tenantId', 'communicationId', 'traceId', 'fromSessionId', 'toSessionId',
    'fromAgent', 'toAgent', 'messageType', 'requestId', 'inResponseTo', 'channel'),
  ...communication(TIME_NS, 'sentAt'),
  ...communication(UINT64, 'version'),
];

const anomaly = fieldsOf<AnomalyRow>();
export const ANOMALY_COLUMNS: readonly NativeColumn<AnomalyRow>[] = [
  ...anomaly(STRING, 'tenantId', 'anomalyId', 'sessionId', 'traceId', 'agentName', 'kind', 'severity', 'detail'),
  ...anomaly(array(STRING), 'evidence'),
  ...anomaly(UINT32, 'count'),
  ...anomaly(TIME_NS, 'detectedAt', 'lastSeenAt'),
  ...anomaly(nullable(TIME_NS, 0n), 'resolvedAt'),
  ...anomaly(UINT64, 'version'),
];
