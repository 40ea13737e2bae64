/**
 * What a span is, whatever framework emitted it. Dialect readers classify by attribute (never by
 * span name); assembly turns canonical spans into sessions, actions, transitions, decisions and
 * communications.
 */
export type SpanCategory =
  | 'agent' // one agent invocation (a session): invoke_agent, an OpenInference AGENT span, an ai.* agent run…
  | 'workflow' // a workflow or chain run that is not itself an agent
  | 'llm' // one model call with its own usage
  | 'tool' // one tool execution
  | 'embedding'
  | 'retrieval'
  | 'decision' // a plan / decision point
  | 'handoff' // control passed to another agent
  | 'guardrail'
  | 'other';

/** Token counts of one call. `input` includes cached tokens; `output` includes reasoning tokens. */
export interface TokenUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

/** A state change recorded as an `agentflow.state` span event. */
export interface StateChange {
  timeUnixNano: bigint;
  from: string;
  to: string;
  reason: string;
  transitionType: string;
}

/** A decision point: an `agentflow.decision` span event, or a GenAI `plan` span. */
export interface Decision {
  timeUnixNano: bigint;
  type: string;
  question: string;
  options: string[];
  chosen: string;
  /** -1 when not given. */
  chosenIndex: number;
  reasoning: string;
  /** 0–1, or null when not given. */
  confidence: number | null;
  method: string;
}

/** A message to another agent: an `agentflow.message` span event. */
export interface AgentMessage {
  timeUnixNano: bigint;
  type: string;
  toAgent: string;
  requestId: string;
  inResponseTo: string;
  channel: string;
}

/** A tool call the model asked for in an LLM call's output (its id may be missing on the tool span itself). */
export interface RequestedToolCall {
  /** The provider's tool call id ('' when not sent). */
  id: string;
  name: string;
  /** Same hash as {@link CanonicalSpan.toolArgumentsHash}, so a tool span can be matched to its request. */
  argumentsHash: string;
}

/** One span, normalised. Strings are '' and numbers null when the span does not say. */
export interface CanonicalSpan {
  tenantId: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  serviceName: string;
  serviceInstanceId: string;
  category: SpanCategory;
  /** Which reader classified the span: 'otel-genai', 'openinference', 'vercel-ai', 'openllmetry', 'mastra', 'openai-agents', 'agentflow', 'none'. */
  dialect: string;
  /** gen_ai.operation.name or the dialect's equivalent, as sent ('' if none). */
  operation: string;
  /** A custom action type (`agentflow.action.type`), '' if none. */
  actionType: string;
  /**
   * On an agent span: the agent it runs. On other spans: the agent the emitter says the span belongs to
   * (OpenLLMetry and Mastra copy `gen_ai.agent.name` onto every descendant, Vercel repeats the functionId),
   * a hint for spans whose parent link is broken; assembly attributes by nearest ancestor agent span first.
   */
  agentId: string;
  agentName: string;
  agentType: string;
  agentDescription: string;
  goal: string;
  goalType: string;
  trigger: string;
  taskId: string;
  workflowName: string;
  conversationId: string;
  userId: string;
  requestModel: string;
  responseModel: string;
  /** Provider name, lowercase, as in gen_ai.provider.name (openai, anthropic, gcp.vertex_ai, aws.bedrock…). */
  provider: string;
  /** Per-call usage on llm/embedding spans; null elsewhere (run totals on agent spans are not usage). */
  usage: TokenUsage | null;
  /** A cost the emitter reported for this call, USD; null when not reported. */
  providedCostUsd: number | null;
  /** On a handoff span: the agent control passes to ('' otherwise); the source agent is `agentName`. */
  targetAgentName: string;
  toolName: string;
  toolCallId: string;
  toolType: string;
  /** Hex SHA-256 prefix of the tool arguments / result when sent, '' otherwise (for loop detection). */
  toolArgumentsHash: string;
  toolResultHash: string;
  status: 'ok' | 'error' | 'unset';
  errorType: string;
  errorMessage: string;
  /** agentflow.retry.attempt, 0 when not a retry. */
  retryAttempt: number;
  finishReasons: string[];
  /** Tool calls the model requested in this call's output (llm spans; empty when content was not captured). */
  requestedToolCalls: RequestedToolCall[];
  /** Captured content, only when the emitter sent it: prompt / completion as JSON or text. */
  inputContent: string;
  outputContent: string;
  /**
   * The answer format the call asked for, '' when it did not say: `json` from `gen_ai.output.type`
   * or an OpenAI `response_format` of `json_object` / `json_schema` (in OpenInference invocation
   * parameters); other `gen_ai.output.type` values (text, image, speech) as sent.
   */
  responseFormat: string;
  stateChanges: StateChange[];
  decisions: Decision[];
  messages: AgentMessage[];
  /** Span links (other traces' spans this one relates to, e.g. a delegating agent in another process). */
  links: { traceId: string; spanId: string }[];
}
