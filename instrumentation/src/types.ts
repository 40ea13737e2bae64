import type { GuardAnswer, GuardOptions } from './guard.js';
import type { Attributes, Context, Span } from '@opentelemetry/api';

/** Options of {@link createAgentTracker}. */
export interface AgentTrackerOptions {
  /** Instrumentation scope of the spans. Default `@agentflow/instrumentation`. */
  tracerName?: string;
  /**
   * Record content: LLM input/output messages (`gen_ai.input.messages`, `gen_ai.output.messages`,
   * `gen_ai.system_instructions`) and tool arguments/results. Default false: prompts often hold
   * personal data, so they leave the process only when asked for.
   */
  captureContent?: boolean;
  /** Ask agentflow's guard before the next step (`session.guard()`), and optionally stop calls on `stop`. Off when absent. */
  guard?: GuardOptions;
}

/**
 * One agent invocation: one agent pursuing one goal. Every field is optional and coerced: numbers
 * become decimal strings, values that cannot be used are left out.
 */
export interface SessionOptions {
  agentId?: string;
  agentName?: string;
  /** The agent's kind (`researcher`, `planner`); instances of one type share a registry entry. */
  agentType?: string;
  agentDescription?: string;
  agentVersion?: string;
  goal?: string;
  goalType?: string;
  /** Name of the workflow definition the session is scored against. */
  workflowName?: string;
  conversationId?: string;
  userId?: string;
  /** What started the session (`user_message`, `schedule`, `delegation`…). */
  trigger?: string;
  /** Node of a task decomposition this session works on. */
  taskId?: string;
  /** Sessions this agent can run at once. */
  capacity?: number;
  /**
   * Parent of the session span instead of the active context: what {@link AgentTracker.extractContext}
   * returned for a delegation from another process, or the carrier itself (extracted here).
   */
  parentContext?: Context | Record<string, unknown>;
  /** Extra attributes for the session span (primitive values and arrays of them). */
  attributes?: Attributes;
}

/** Details of a state change; `from` defaults to the state the session was last moved to. */
export interface StateOptions {
  from?: string;
  reason?: string;
  /** How the change came about: `normal`, `error`, `retry`, `timeout`, … */
  transitionType?: string;
}

/** A decision point. `chosen` and `chosenIndex` fill each other in when `options` are given. */
export interface DecisionInfo {
  type?: string;
  question?: string;
  /** The alternatives, recorded as a string array attribute (non-strings as JSON). */
  options?: readonly unknown[];
  chosen?: unknown;
  /** Zero-based index into `options`. */
  chosenIndex?: number;
  reasoning?: string;
  /** 0–1; other values are dropped. */
  confidence?: number;
  /** How the choice was made: `llm`, `rule`, `human`, `random`, … */
  method?: string;
}

/** A message to another agent. */
export interface MessageInfo {
  toAgent?: string;
  /** `request`, `response`, `delegation`, `handoff`, `broadcast`, … */
  type?: string;
  requestId?: string;
  inResponseTo?: string;
  channel?: string;
}

/** A model call about to be made. */
export interface LlmOptions {
  /** Requested model (`gen_ai.request.model`). */
  model?: string;
  /** `gen_ai.provider.name`: `openai`, `anthropic`, `aws.bedrock`, `gcp.gemini`, … */
  provider?: string;
  /** `gen_ai.operation.name`: default `chat`; `text_completion`, `generate_content` and `embeddings` are also accepted. */
  operation?: string;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  /** Recorded as `gen_ai.input.messages` (JSON) only when the tracker captures content. */
  inputMessages?: unknown;
  /** Recorded as `gen_ai.system_instructions` (JSON) only when the tracker captures content. */
  systemInstructions?: unknown;
  /** Marks this call as the Nth retry (`agentflow.retry.attempt`); see {@link AgentSession.retry}. */
  retryAttempt?: number;
  attributes?: Attributes;
}

/** What a model call returned, as the caller reports it. */
export interface LlmResult {
  responseModel?: string;
  responseId?: string;
  /** Input tokens including cache reads and writes. */
  inputTokens?: number;
  /** Output tokens including reasoning tokens. */
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  finishReasons?: string | readonly string[];
  /** Recorded as `gen_ai.output.messages` (JSON) only when the tracker captures content. */
  outputMessages?: unknown;
  /** Cost in USD when the provider reports one (`gen_ai.usage.cost`); otherwise agentflow prices the tokens. */
  costUsd?: number;
}

/** Handle of a running model call. */
export interface LlmCall {
  /** The `chat` span (a non-recording span without an SDK). */
  readonly span: Span;
  /** Records the response; may be called more than once (later values win). Never throws. */
  report(result: LlmResult): void;
}

/** A tool call about to be made. */
export interface ToolOptions {
  name?: string;
  callId?: string;
  /** `gen_ai.tool.type`: `function`, `extension`, `datastore`. */
  type?: string;
  description?: string;
  /** Recorded as `gen_ai.tool.call.arguments` (JSON) only when the tracker captures content. */
  args?: unknown;
  retryAttempt?: number;
  attributes?: Attributes;
}

/** Handle of a running tool call. */
export interface ToolCall {
  readonly span: Span;
  /**
   * Records the tool's result (`gen_ai.tool.call.result`, when content is captured). Without it the
   * value the function returns is recorded. Never throws.
   */
  result(value: unknown): void;
}

/** Handle of a running custom action. */
export interface ActionHandle {
  readonly span: Span;
  /** Adds attributes to the action span (primitive values and arrays of them). Never throws. */
  setAttributes(attributes: Attributes): void;
}

/** Options of a custom action beyond its type and name. */
export interface ActionOptions {
  retryAttempt?: number;
  attributes?: Attributes;
}

/**
 * Something that records actions: a session, or the tracker acting for the session active in the
 * current context. Each method runs `fn` inside a new span, returns what `fn` returns (a promise
 * for an async `fn`, settled when `fn`'s is), records a throw or rejection on the span and
 * rethrows it unchanged.
 */
export interface ActionRecorder {
  /** A model call: a `chat` span (`gen_ai.operation.name`, model, provider, tokens via `call.report`). */
  llm<T>(options: LlmOptions, fn: (call: LlmCall) => T): T;
  /** A tool call: an `execute_tool` span. */
  tool<T>(options: ToolOptions, fn: (call: ToolCall) => T): T;
  /** A custom action outside the GenAI operations (`file_write`, `api_call`): `agentflow.action.type` = `type`. */
  action<T>(type: string, name: string, fn: (action: ActionHandle) => T, options?: ActionOptions): T;
}

/** A running agent session; every method is safe to call with any arguments and never throws. */
export interface AgentSession extends ActionRecorder {
  /** The session span; a non-recording span without an SDK. */
  readonly span: Span;
  /** Span id of the session span (lowercase hex): agentflow's session id. */
  readonly sessionId: string;
  readonly traceId: string;
  /** The state the session was last moved to, if any. */
  readonly currentState: string | undefined;
  /** Records a state change (span event `agentflow.state` on the session span) and remembers `to`. */
  state(to: string, options?: StateOptions): void;
  /**
   * Records a decision (span event `agentflow.decision`, options as a string array attribute), on
   * the action span of this session that is active in the current context, else on the session
   * span. A decision with no usable field is dropped.
   */
  decision(decision: DecisionInfo): void;
  /** Records a message to another agent (span event `agentflow.message`), placed like a decision; dropped when empty. */
  message(message: MessageInfo): void;
  /**
   * Marks the next action this session starts (LLM call, tool call or custom action) as retry
   * number `attempt` (`agentflow.retry.attempt`). The mark is used once; a later call replaces it.
   */
  retry(attempt: number): void;
  /**
   * Writes the W3C trace context of this session (of its action active in the current context, if
   * any) into `carrier` and returns it, for a message to an agent in another process.
   */
  injectContext<C extends object = Record<string, string>>(carrier?: C): C;
  /**
   * Asks agentflow whether this session should go on: `allow`, `warn` or `stop`, with the open
   * anomalies behind it and the usage so far. Never rejects; bounded by the guard's timeout; `allow`
   * (with `unreachable: true`) when agentflow cannot be reached or no guard is configured.
   */
  guard(): Promise<GuardAnswer>;
}

/** Creates sessions and carries trace context across processes. */
export interface AgentTracker extends ActionRecorder {
  readonly captureContent: boolean;
  /**
   * Starts an `invoke_agent` span, runs `fn(session)` inside its context and ends the span when `fn`
   * returns or its promise settles. Returns what `fn` returns; what it throws is recorded on the span
   * (status ERROR, `error.type`, an exception event) and rethrown unchanged.
   */
  runSession<T>(options: SessionOptions, fn: (session: AgentSession) => T): T;
  /** The session whose context is active, if any (needs a context manager, which the SDK registers). */
  currentSession(): AgentSession | undefined;
  /** Writes the W3C trace context of the active span into `carrier` (a plain object) and returns it. */
  injectContext<C extends object = Record<string, string>>(carrier?: C): C;
  /** Reads a W3C trace context from `carrier`; pass the result as `runSession({ parentContext })`. */
  extractContext(carrier: unknown): Context;
}
