import type { ActionRow, CommunicationRow, DecisionRow, SessionRow, TransitionRow } from '@agentflow/schemas';
import type { RowBinaryWriter } from './row-binary-writer.js';

// Column lists in the order each encoder writes them (schemas/sql/0003_agent_tables.sql).

export const SESSION_COLUMNS = [
  'tenant_id', 'session_id', 'trace_id', 'root_session_id', 'parent_session_id', 'agent_id', 'agent_name', 'agent_type',
  'agent_description', 'goal', 'goal_type', 'task_id', 'workflow_name', 'conversation_id', 'user_id', 'trigger', 'status',
  'started_at', 'ended_at', 'duration_ms', 'llm_calls', 'tool_calls', 'actions', 'errors', 'input_tokens', 'output_tokens',
  'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_usd', 'unpriced_calls', 'error_type', 'error_message',
  'service_name', 'service_instance_id', 'span_name', 'dialect', 'implicit', 'version',
] as const;

export function encodeSessionRow(w: RowBinaryWriter, r: SessionRow): void {
  for (const s of [r.tenantId, r.sessionId, r.traceId, r.rootSessionId, r.parentSessionId, r.agentId, r.agentName, r.agentType,
    r.agentDescription, r.goal, r.goalType, r.taskId, r.workflowName, r.conversationId, r.userId, r.trigger, r.status]) w.string(s);
  w.int64(r.startedAt);
  w.int64(r.endedAt);
  w.float64(r.durationMs);
  for (const n of [r.llmCalls, r.toolCalls, r.actions, r.errors]) w.uint32(n);
  for (const n of [r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWriteTokens, r.reasoningTokens]) w.uint64Number(n);
  w.float64(r.costUsd);
  w.uint32(r.unpricedCalls);
  for (const s of [r.errorType, r.errorMessage, r.serviceName, r.serviceInstanceId, r.spanName, r.dialect]) w.string(s);
  w.uint8(r.implicit ? 1 : 0);
  w.uint64(r.version);
}

export const ACTION_COLUMNS = [
  'tenant_id', 'action_id', 'session_id', 'trace_id', 'parent_span_id', 'agent_name', 'sequence', 'action_type', 'name',
  'tool_name', 'tool_call_id', 'model', 'request_model', 'provider', 'status', 'error_type', 'error', 'retry_attempt',
  'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_usd', 'cost_source',
  'started_at', 'ended_at', 'duration_ms', 'args_hash', 'result_hash', 'finish_reasons', 'quality_score', 'version',
] as const;

export function encodeActionRow(w: RowBinaryWriter, r: ActionRow): void {
  for (const s of [r.tenantId, r.actionId, r.sessionId, r.traceId, r.parentSpanId, r.agentName]) w.string(s);
  w.uint32(r.sequence);
  for (const s of [r.actionType, r.name, r.toolName, r.toolCallId, r.model, r.requestModel, r.provider, r.status, r.errorType, r.error]) w.string(s);
  w.uint16(r.retryAttempt);
  for (const n of [r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWriteTokens, r.reasoningTokens]) w.uint64Number(n);
  w.float64(r.costUsd);
  w.string(r.costSource);
  w.int64(r.startedAt);
  w.int64(r.endedAt);
  w.float64(r.durationMs);
  w.string(r.argsHash);
  w.string(r.resultHash);
  w.stringArray(r.finishReasons);
  if (w.nullFlag(r.qualityScore)) w.float32(r.qualityScore as number);
  w.uint64(r.version);
}

export const TRANSITION_COLUMNS = [
  'tenant_id', 'transition_id', 'session_id', 'trace_id', 'sequence', 'from_state', 'to_state', 'reason', 'transition_type',
  'entered_at', 'exited_at', 'duration_ms', 'version',
] as const;

export function encodeTransitionRow(w: RowBinaryWriter, r: TransitionRow): void {
  for (const s of [r.tenantId, r.transitionId, r.sessionId, r.traceId]) w.string(s);
  w.uint32(r.sequence);
  for (const s of [r.fromState, r.toState, r.reason, r.transitionType]) w.string(s);
  w.int64(r.enteredAt);
  if (w.nullFlag(r.exitedAt)) w.int64(r.exitedAt as bigint);
  if (w.nullFlag(r.durationMs)) w.float64(r.durationMs as number);
  w.uint64(r.version);
}

export const DECISION_COLUMNS = [
  'tenant_id', 'decision_id', 'session_id', 'trace_id', 'action_id', 'decision_type', 'question', 'options', 'chosen',
  'chosen_index', 'reasoning', 'confidence', 'method', 'decided_at', 'version',
] as const;

export function encodeDecisionRow(w: RowBinaryWriter, r: DecisionRow): void {
  for (const s of [r.tenantId, r.decisionId, r.sessionId, r.traceId, r.actionId, r.decisionType, r.question]) w.string(s);
  w.stringArray(r.options);
  w.string(r.chosen);
  w.int32(r.chosenIndex);
  w.string(r.reasoning);
  if (w.nullFlag(r.confidence)) w.float64(r.confidence as number);
  w.string(r.method);
  w.int64(r.decidedAt);
  w.uint64(r.version);
}

export const COMMUNICATION_COLUMNS = [
  'tenant_id', 'communication_id', 'trace_id', 'from_session_id', 'to_session_id', 'from_agent', 'to_agent', 'message_type',
  'request_id', 'in_response_to', 'channel', 'sent_at', 'version',
] as const;

export function encodeCommunicationRow(w: RowBinaryWriter, r: CommunicationRow): void {
  for (const s of [r.tenantId, r.communicationId, r.traceId, r.fromSessionId, r.toSessionId, r.fromAgent, r.toAgent,
    r.messageType, r.requestId, r.inResponseTo, r.channel]) w.string(s);
  w.int64(r.sentAt);
  w.uint64(r.version);
}
