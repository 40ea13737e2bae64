/**
 * Rows of the derived agent tables (schemas/sql/0003_agent_tables.sql), as assembly produces
 * them. Times are nanoseconds since the epoch; `version` orders re-derivations of the same key.
 */

/** Values of `status` on sessions and actions. */
export const RUN_STATUS = ['running', 'completed', 'failed', 'cancelled', 'timed_out'] as const;
export type RunStatus = (typeof RUN_STATUS)[number];

/** Built-in values of `agent_actions.action_type`; a custom `agentflow.action.type` is kept as sent. */
export const ACTION_TYPES = ['llm_call', 'tool_call', 'embedding', 'retrieval', 'handoff', 'guardrail', 'other'] as const;

/** Values of `agent_actions.cost_source`. */
export const COST_SOURCES = ['provided', 'computed', 'unknown'] as const;
export type CostSource = (typeof COST_SOURCES)[number];

/** Values of `agent_communications.message_type` that assembly derives. */
export const COMMUNICATION_TYPES = ['delegation', 'handoff', 'message', 'link'] as const;

/** Token and cost totals shared by sessions and actions. */
export interface UsageColumns {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costUsd: number;
}

/** One `agent_sessions` row: one agent invocation pursuing one goal. */
export interface SessionRow extends UsageColumns {
  tenantId: string;
  sessionId: string;
  traceId: string;
  rootSessionId: string;
  parentSessionId: string;
  agentId: string;
  agentName: string;
  agentType: string;
  agentDescription: string;
  goal: string;
  goalType: string;
  taskId: string;
  workflowName: string;
  conversationId: string;
  userId: string;
  trigger: string;
  status: RunStatus;
  startedAt: bigint;
  endedAt: bigint;
  durationMs: number;
  llmCalls: number;
  toolCalls: number;
  actions: number;
  errors: number;
  unpricedCalls: number;
  errorType: string;
  errorMessage: string;
  serviceName: string;
  serviceInstanceId: string;
  spanName: string;
  dialect: string;
  implicit: boolean;
  version: bigint;
}

/** One `agent_actions` row: an LLM call, tool call, retrieval, embedding or custom action. */
export interface ActionRow extends UsageColumns {
  tenantId: string;
  actionId: string;
  sessionId: string;
  traceId: string;
  parentSpanId: string;
  agentName: string;
  sequence: number;
  actionType: string;
  name: string;
  toolName: string;
  toolCallId: string;
  model: string;
  requestModel: string;
  provider: string;
  status: RunStatus;
  errorType: string;
  error: string;
  retryAttempt: number;
  costSource: CostSource;
  startedAt: bigint;
  endedAt: bigint;
  durationMs: number;
  argsHash: string;
  resultHash: string;
  finishReasons: string[];
  /** Share of the answer checks passed (0–1, critical failures halve it); null unless a model call's output was captured. */
  qualityScore: number | null;
  /** Names of the failed answer checks (`refusal`, `too_short`…), [] when none failed or none ran. */
  qualityIssues: string[];
  version: bigint;
}

/** One `agent_state_transitions` row. */
export interface TransitionRow {
  tenantId: string;
  transitionId: string;
  sessionId: string;
  traceId: string;
  sequence: number;
  fromState: string;
  toState: string;
  reason: string;
  transitionType: string;
  enteredAt: bigint;
  exitedAt: bigint | null;
  durationMs: number | null;
  version: bigint;
}

/** One `agent_decisions` row. */
export interface DecisionRow {
  tenantId: string;
  decisionId: string;
  sessionId: string;
  traceId: string;
  actionId: string;
  decisionType: string;
  question: string;
  options: string[];
  chosen: string;
  chosenIndex: number;
  reasoning: string;
  confidence: number | null;
  method: string;
  decidedAt: bigint;
  version: bigint;
}

/** One `agent_communications` row: a delegation, handoff, message or cross-trace link. */
export interface CommunicationRow {
  tenantId: string;
  communicationId: string;
  traceId: string;
  fromSessionId: string;
  toSessionId: string;
  fromAgent: string;
  toAgent: string;
  messageType: string;
  requestId: string;
  inResponseTo: string;
  channel: string;
  sentAt: bigint;
  version: bigint;
}

/** Everything assembly derives from one trace. */
export interface DerivedRows {
  sessions: SessionRow[];
  actions: ActionRow[];
  transitions: TransitionRow[];
  decisions: DecisionRow[];
  communications: CommunicationRow[];
}
