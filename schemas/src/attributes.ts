/**
 * Attribute keys agentflow reads or writes. Every key used anywhere in the project comes from
 * here: the GenAI keys are unstable upstream (the npm semantic-conventions package marks them
 * deprecated as they move to the GenAI conventions repository), so we keep our own copies.
 */

/** OTel resource attribute keys (stable semantic conventions). */
export const RESOURCE = {
  SERVICE_NAME: 'service.name',
  SERVICE_INSTANCE_ID: 'service.instance.id',
  SERVICE_VERSION: 'service.version',
  HOST_NAME: 'host.name',
  PROCESS_PID: 'process.pid',
  TELEMETRY_SDK_LANGUAGE: 'telemetry.sdk.language',
  TELEMETRY_SDK_NAME: 'telemetry.sdk.name',
  TELEMETRY_SDK_VERSION: 'telemetry.sdk.version',
} as const;

/** OTel GenAI semantic convention keys (current). */
export const GEN_AI = {
  OPERATION_NAME: 'gen_ai.operation.name',
  PROVIDER_NAME: 'gen_ai.provider.name',
  AGENT_ID: 'gen_ai.agent.id',
  AGENT_NAME: 'gen_ai.agent.name',
  AGENT_DESCRIPTION: 'gen_ai.agent.description',
  AGENT_VERSION: 'gen_ai.agent.version',
  CONVERSATION_ID: 'gen_ai.conversation.id',
  WORKFLOW_NAME: 'gen_ai.workflow.name',
  REQUEST_MODEL: 'gen_ai.request.model',
  REQUEST_TEMPERATURE: 'gen_ai.request.temperature',
  REQUEST_MAX_TOKENS: 'gen_ai.request.max_tokens',
  REQUEST_TOP_P: 'gen_ai.request.top_p',
  OUTPUT_TYPE: 'gen_ai.output.type',
  RESPONSE_MODEL: 'gen_ai.response.model',
  RESPONSE_ID: 'gen_ai.response.id',
  RESPONSE_FINISH_REASONS: 'gen_ai.response.finish_reasons',
  USAGE_INPUT_TOKENS: 'gen_ai.usage.input_tokens',
  USAGE_OUTPUT_TOKENS: 'gen_ai.usage.output_tokens',
  USAGE_CACHE_READ_INPUT_TOKENS: 'gen_ai.usage.cache_read.input_tokens',
  USAGE_CACHE_CREATION_INPUT_TOKENS: 'gen_ai.usage.cache_creation.input_tokens',
  USAGE_REASONING_OUTPUT_TOKENS: 'gen_ai.usage.reasoning.output_tokens',
  USAGE_COST: 'gen_ai.usage.cost',
  TOOL_NAME: 'gen_ai.tool.name',
  TOOL_CALL_ID: 'gen_ai.tool.call.id',
  TOOL_TYPE: 'gen_ai.tool.type',
  TOOL_DESCRIPTION: 'gen_ai.tool.description',
  TOOL_CALL_ARGUMENTS: 'gen_ai.tool.call.arguments',
  TOOL_CALL_RESULT: 'gen_ai.tool.call.result',
  INPUT_MESSAGES: 'gen_ai.input.messages',
  OUTPUT_MESSAGES: 'gen_ai.output.messages',
  SYSTEM_INSTRUCTIONS: 'gen_ai.system_instructions',
  DATA_SOURCE_ID: 'gen_ai.data_source.id',
} as const;

/** Legacy GenAI keys still sent by older emitters. */
export const GEN_AI_LEGACY = {
  SYSTEM: 'gen_ai.system',
  USAGE_PROMPT_TOKENS: 'gen_ai.usage.prompt_tokens',
  USAGE_COMPLETION_TOKENS: 'gen_ai.usage.completion_tokens',
  /** Pre-1.30 spellings of the cache counters (OpenLLMetry and others still send them). */
  USAGE_CACHE_READ_INPUT_TOKENS: 'gen_ai.usage.cache_read_input_tokens',
  USAGE_CACHE_CREATION_INPUT_TOKENS: 'gen_ai.usage.cache_creation_input_tokens',
  USAGE_TOTAL_TOKENS: 'gen_ai.usage.total_tokens',
  /** Flattened content prefixes: `gen_ai.prompt.N.role|content`, `gen_ai.completion.N.role|content|finish_reason|tool_calls.M.*`. */
  PROMPT: 'gen_ai.prompt',
  COMPLETION: 'gen_ai.completion',
  /** Span events of the 2024 conventions carrying the content as one JSON attribute (`gen_ai.prompt` / `gen_ai.completion`). */
  CONTENT_PROMPT_EVENT: 'gen_ai.content.prompt',
  CONTENT_COMPLETION_EVENT: 'gen_ai.content.completion',
  /** Per-message span events of the 1.27–1.36 conventions. */
  SYSTEM_MESSAGE_EVENT: 'gen_ai.system.message',
  USER_MESSAGE_EVENT: 'gen_ai.user.message',
  ASSISTANT_MESSAGE_EVENT: 'gen_ai.assistant.message',
  TOOL_MESSAGE_EVENT: 'gen_ai.tool.message',
  CHOICE_EVENT: 'gen_ai.choice',
} as const;

/** Values of `gen_ai.operation.name`. */
export const GEN_AI_OPERATION = {
  INVOKE_AGENT: 'invoke_agent',
  CREATE_AGENT: 'create_agent',
  CHAT: 'chat',
  TEXT_COMPLETION: 'text_completion',
  GENERATE_CONTENT: 'generate_content',
  EMBEDDINGS: 'embeddings',
  RETRIEVAL: 'retrieval',
  EXECUTE_TOOL: 'execute_tool',
  INVOKE_WORKFLOW: 'invoke_workflow',
  PLAN: 'plan',
} as const;

/** Other stable semantic-convention keys agentflow reads. */
export const GENERAL = {
  ERROR_TYPE: 'error.type',
  EXCEPTION_TYPE: 'exception.type',
  EXCEPTION_MESSAGE: 'exception.message',
  EXCEPTION_STACKTRACE: 'exception.stacktrace',
  USER_ID: 'user.id',
  SESSION_ID: 'session.id',
  /** Not in the conventions, but set next to `error.type` by Mastra and others. */
  ERROR_MESSAGE: 'error.message',
  /** Span event name of a recorded exception. */
  EXCEPTION_EVENT: 'exception',
} as const;

/** agentflow's own extensions, for what the GenAI conventions do not cover (DESIGN.md §4). */
export const AGENTFLOW = {
  AGENT_TYPE: 'agentflow.agent.type',
  AGENT_CAPACITY: 'agentflow.agent.capacity',
  GOAL: 'agentflow.goal',
  GOAL_TYPE: 'agentflow.goal.type',
  TRIGGER: 'agentflow.trigger',
  TASK_ID: 'agentflow.task.id',
  ACTION_TYPE: 'agentflow.action.type',
  RETRY_ATTEMPT: 'agentflow.retry.attempt',
  STATE_EVENT: 'agentflow.state',
  STATE_FROM: 'agentflow.state.from',
  STATE_TO: 'agentflow.state.to',
  STATE_REASON: 'agentflow.state.reason',
  STATE_TRANSITION_TYPE: 'agentflow.state.transition_type',
  DECISION_EVENT: 'agentflow.decision',
  DECISION_TYPE: 'agentflow.decision.type',
  DECISION_QUESTION: 'agentflow.decision.question',
  DECISION_OPTIONS: 'agentflow.decision.options',
  DECISION_CHOSEN: 'agentflow.decision.chosen',
  DECISION_CHOSEN_INDEX: 'agentflow.decision.chosen_index',
  DECISION_REASONING: 'agentflow.decision.reasoning',
  DECISION_CONFIDENCE: 'agentflow.decision.confidence',
  DECISION_METHOD: 'agentflow.decision.method',
  MESSAGE_EVENT: 'agentflow.message',
  MESSAGE_TYPE: 'agentflow.message.type',
  MESSAGE_TO_AGENT: 'agentflow.message.to_agent',
  MESSAGE_REQUEST_ID: 'agentflow.message.request_id',
  MESSAGE_IN_RESPONSE_TO: 'agentflow.message.in_response_to',
  MESSAGE_CHANNEL: 'agentflow.message.channel',
  SPAN_START_EVENT: 'agentflow.span.start',
  HEARTBEAT_EVENT: 'agentflow.heartbeat',
  /** Attributes of the `agentflow.span.start` log record: the started span's identity and start time. */
  SPAN_TRACE_ID: 'agentflow.span.trace_id',
  SPAN_ID: 'agentflow.span.span_id',
  SPAN_PARENT_SPAN_ID: 'agentflow.span.parent_span_id',
  SPAN_NAME: 'agentflow.span.name',
  /** Start time in nanoseconds since the epoch, as a decimal string (too large for a double). */
  SPAN_START_TIME_UNIX_NANO: 'agentflow.span.start_time_unix_nano',
  /** Attributes of the `agentflow.heartbeat` log record (capacity is `agentflow.agent.capacity`). */
  INSTANCE_STATUS: 'agentflow.instance.status',
  /** Open agent sessions in the instance. */
  INSTANCE_LOAD: 'agentflow.instance.load',
  /** The heartbeat period in milliseconds, so a reader can tell a late heartbeat from a slow one. */
  HEARTBEAT_INTERVAL_MS: 'agentflow.heartbeat.interval_ms',
} as const;

/** Values of `agentflow.instance.status` (DESIGN §3 `agent_instances.status`). */
export const AGENT_INSTANCE_STATUS = {
  ONLINE: 'online',
  OFFLINE: 'offline',
  BUSY: 'busy',
  PAUSED: 'paused',
} as const;

/** Prefixes of whole attribute families, for dialect detection. */
export const ATTRIBUTE_PREFIX = {
  GEN_AI: 'gen_ai.',
  AGENTFLOW: 'agentflow.',
} as const;

/**
 * `gen_ai.operation.name` values outside the conventions that real emitters send: the Vercel AI SDK
 * v7 and Mastra wrap each model round trip of an agent loop in `agent_step`; Mastra adds
 * `model_generation` (a whole multi-step generation) and `model_chunk` (one streamed chunk).
 */
export const GEN_AI_OPERATION_EXTRA = {
  AGENT_STEP: 'agent_step',
  MODEL_GENERATION: 'model_generation',
  MODEL_CHUNK: 'model_chunk',
  /** Older spellings of the standard operations. */
  COMPLETION: 'completion',
  EMBEDDING: 'embedding',
  RERANK: 'rerank',
} as const;

/** OpenInference (Arize) keys: `openinference.span.kind`, `llm.*`, `input.*`/`output.*`, flattened messages. */
export const OPENINFERENCE = {
  SPAN_KIND: 'openinference.span.kind',
  LLM_MODEL_NAME: 'llm.model_name',
  LLM_SYSTEM: 'llm.system',
  LLM_PROVIDER: 'llm.provider',
  LLM_INVOCATION_PARAMETERS: 'llm.invocation_parameters',
  LLM_FINISH_REASON: 'llm.finish_reason',
  LLM_TOKEN_COUNT_PROMPT: 'llm.token_count.prompt',
  LLM_TOKEN_COUNT_COMPLETION: 'llm.token_count.completion',
  LLM_TOKEN_COUNT_TOTAL: 'llm.token_count.total',
  LLM_TOKEN_COUNT_PROMPT_CACHE_READ: 'llm.token_count.prompt_details.cache_read',
  LLM_TOKEN_COUNT_PROMPT_CACHE_WRITE: 'llm.token_count.prompt_details.cache_write',
  LLM_TOKEN_COUNT_COMPLETION_REASONING: 'llm.token_count.completion_details.reasoning',
  LLM_COST_TOTAL: 'llm.cost.total',
  /** Prefixes of the flattened lists: `llm.input_messages.N.message.role`… */
  LLM_INPUT_MESSAGES: 'llm.input_messages',
  LLM_OUTPUT_MESSAGES: 'llm.output_messages',
  /** Suffixes inside one flattened message. */
  MESSAGE_ROLE: 'message.role',
  MESSAGE_CONTENT: 'message.content',
  MESSAGE_TOOL_CALLS: 'message.tool_calls',
  TOOL_CALL_ID: 'tool_call.id',
  TOOL_CALL_FUNCTION_NAME: 'tool_call.function.name',
  TOOL_CALL_FUNCTION_ARGUMENTS: 'tool_call.function.arguments',
  INPUT_VALUE: 'input.value',
  OUTPUT_VALUE: 'output.value',
  TOOL_NAME: 'tool.name',
  AGENT_NAME: 'agent.name',
  METADATA: 'metadata',
} as const;

/** Values of `openinference.span.kind`. */
export const OPENINFERENCE_SPAN_KIND = {
  LLM: 'LLM',
  CHAIN: 'CHAIN',
  TOOL: 'TOOL',
  AGENT: 'AGENT',
  RETRIEVER: 'RETRIEVER',
  RERANKER: 'RERANKER',
  EMBEDDING: 'EMBEDDING',
  GUARDRAIL: 'GUARDRAIL',
  EVALUATOR: 'EVALUATOR',
  PROMPT: 'PROMPT',
} as const;

/** Keys inside the OpenInference `metadata` JSON that LangChain.js fills (createAgent, RunnableConfig). */
export const LANGCHAIN_METADATA = {
  AGENT_NAME: 'lc_agent_name',
  SESSION_ID: 'session_id',
  THREAD_ID: 'thread_id',
  CONVERSATION_ID: 'conversation_id',
  USER_ID: 'user_id',
} as const;

/** Vercel AI SDK v4–v6 `experimental_telemetry` keys (`ai.*`), and the v7 `ai.settings.context.*`. */
export const VERCEL_AI = {
  PREFIX: 'ai.',
  OPERATION_ID: 'ai.operationId',
  FUNCTION_ID: 'ai.telemetry.functionId',
  METADATA_PREFIX: 'ai.telemetry.metadata.',
  /** v7 (`@ai-sdk/otel`): the call's `context` settings. */
  SETTINGS_CONTEXT_PREFIX: 'ai.settings.context.',
  MODEL_ID: 'ai.model.id',
  MODEL_PROVIDER: 'ai.model.provider',
  RESPONSE_MODEL: 'ai.response.model',
  RESPONSE_FINISH_REASON: 'ai.response.finishReason',
  RESPONSE_TEXT: 'ai.response.text',
  RESPONSE_OBJECT: 'ai.response.object',
  RESPONSE_TOOL_CALLS: 'ai.response.toolCalls',
  PROMPT: 'ai.prompt',
  PROMPT_MESSAGES: 'ai.prompt.messages',
  /** v5/v6 usage; v6 adds the details breakdown (inputTokens = noCache + cacheRead + cacheWrite). */
  USAGE_INPUT_TOKENS: 'ai.usage.inputTokens',
  USAGE_OUTPUT_TOKENS: 'ai.usage.outputTokens',
  USAGE_CACHED_INPUT_TOKENS: 'ai.usage.cachedInputTokens',
  USAGE_REASONING_TOKENS: 'ai.usage.reasoningTokens',
  USAGE_INPUT_NO_CACHE_TOKENS: 'ai.usage.inputTokenDetails.noCacheTokens',
  USAGE_INPUT_CACHE_READ_TOKENS: 'ai.usage.inputTokenDetails.cacheReadTokens',
  USAGE_INPUT_CACHE_WRITE_TOKENS: 'ai.usage.inputTokenDetails.cacheWriteTokens',
  USAGE_OUTPUT_REASONING_TOKENS: 'ai.usage.outputTokenDetails.reasoningTokens',
  /** v4 usage. */
  USAGE_PROMPT_TOKENS: 'ai.usage.promptTokens',
  USAGE_COMPLETION_TOKENS: 'ai.usage.completionTokens',
  /** Embedding calls. */
  USAGE_TOKENS: 'ai.usage.tokens',
  TOOL_CALL_NAME: 'ai.toolCall.name',
  TOOL_CALL_ID: 'ai.toolCall.id',
  TOOL_CALL_ARGS: 'ai.toolCall.args',
  TOOL_CALL_RESULT: 'ai.toolCall.result',
} as const;

/** Values of `ai.operationId` (the outer call is the run; `do*` children are the model calls). */
export const VERCEL_AI_OPERATION = {
  GENERATE_TEXT: 'ai.generateText',
  GENERATE_TEXT_DO_GENERATE: 'ai.generateText.doGenerate',
  STREAM_TEXT: 'ai.streamText',
  STREAM_TEXT_DO_STREAM: 'ai.streamText.doStream',
  GENERATE_OBJECT: 'ai.generateObject',
  GENERATE_OBJECT_DO_GENERATE: 'ai.generateObject.doGenerate',
  STREAM_OBJECT: 'ai.streamObject',
  STREAM_OBJECT_DO_STREAM: 'ai.streamObject.doStream',
  EMBED: 'ai.embed',
  EMBED_DO_EMBED: 'ai.embed.doEmbed',
  EMBED_MANY: 'ai.embedMany',
  EMBED_MANY_DO_EMBED: 'ai.embedMany.doEmbed',
  TOOL_CALL: 'ai.toolCall',
} as const;

/** OpenLLMetry (Traceloop) keys. */
export const OPENLLMETRY = {
  PREFIX: 'traceloop.',
  SPAN_KIND: 'traceloop.span.kind',
  ENTITY_NAME: 'traceloop.entity.name',
  ENTITY_INPUT: 'traceloop.entity.input',
  ENTITY_OUTPUT: 'traceloop.entity.output',
  ENTITY_PATH: 'traceloop.entity.path',
  WORKFLOW_NAME: 'traceloop.workflow.name',
  ASSOCIATION_PROPERTIES_PREFIX: 'traceloop.association.properties.',
  LLM_REQUEST_TYPE: 'llm.request.type',
  LLM_USAGE_TOTAL_TOKENS: 'llm.usage.total_tokens',
} as const;

/** Values of `traceloop.span.kind`. */
export const OPENLLMETRY_SPAN_KIND = {
  WORKFLOW: 'workflow',
  TASK: 'task',
  AGENT: 'agent',
  TOOL: 'tool',
} as const;

/** Keys inside `traceloop.association.properties.*` / `*.metadata.*` that name a session or user. */
export const ASSOCIATION_KEYS = {
  CONVERSATION: ['session_id', 'sessionId', 'conversation_id', 'conversationId', 'thread_id', 'threadId', 'chat_id', 'chatId'],
  USER: ['user_id', 'userId'],
} as const;

/** Mastra (`@mastra/otel-exporter`) keys next to its `gen_ai.*`. */
export const MASTRA = {
  PREFIX: 'mastra.',
  SPAN_TYPE: 'mastra.span.type',
  METADATA_PREFIX: 'mastra.metadata.',
  /** Mastra memory: the thread is the conversation, the resource usually the user. */
  METADATA_THREAD_ID: 'mastra.metadata.threadId',
  METADATA_RESOURCE_ID: 'mastra.metadata.resourceId',
  METADATA_MODEL: 'mastra.metadata.modelMetadata',
} as const;

/** Values of `mastra.span.type`. */
export const MASTRA_SPAN_TYPE = {
  AGENT_RUN: 'agent_run',
  WORKFLOW_RUN: 'workflow_run',
  MODEL_GENERATION: 'model_generation',
  MODEL_STEP: 'model_step',
  MODEL_CHUNK: 'model_chunk',
  MODEL_INFERENCE: 'model_inference',
  TOOL_CALL: 'tool_call',
  MCP_TOOL_CALL: 'mcp_tool_call',
} as const;

/** OpenAI Agents SDK spans bridged to OTel: GenAI keys plus `openai.agents.*`. */
export const OPENAI_AGENTS = {
  PREFIX: 'openai.agents.',
  SPAN_TYPE: 'openai.agents.span.type',
  /** The SDK's own ids (`trace_<32 hex>`, `span_<24 hex>`), kept next to the OTel ids made from them. */
  TRACE_ID: 'openai.agents.trace_id',
  SPAN_ID: 'openai.agents.span_id',
  WORKFLOW_NAME: 'openai.agents.workflow_name',
  GROUP_ID: 'openai.agents.group_id',
  METADATA_PREFIX: 'openai.agents.metadata.',
  HANDOFF_FROM_AGENT: 'openai.agents.handoff.from_agent',
  HANDOFF_TO_AGENT: 'openai.agents.handoff.to_agent',
  ERROR_DATA: 'openai.agents.error.data',
  /** An agent span's configuration: tool names and handoff targets (string arrays), output type. */
  AGENT_TOOLS: 'openai.agents.agent.tools',
  AGENT_HANDOFFS: 'openai.agents.agent.handoffs',
  AGENT_OUTPUT_TYPE: 'openai.agents.agent.output_type',
  /** A `turn` span's number within its run. */
  TURN: 'openai.agents.turn',
  /** Totals on `task`/`turn` spans, `openai.agents.usage.<field>`: a run's sum, never one call's usage. */
  USAGE_PREFIX: 'openai.agents.usage.',
  /** Whether a guardrail span's guardrail tripped. */
  GUARDRAIL_TRIGGERED: 'openai.agents.guardrail.triggered',
  /** A custom span's `data` as JSON. */
  CUSTOM_DATA: 'openai.agents.custom.data',
} as const;

/** Values of `openai.agents.span.type` (the SDK's span data types, plus the bridge's task/turn). */
export const OPENAI_AGENTS_SPAN_TYPE = {
  AGENT: 'agent',
  GENERATION: 'generation',
  RESPONSE: 'response',
  FUNCTION: 'function',
  HANDOFF: 'handoff',
  GUARDRAIL: 'guardrail',
  CUSTOM: 'custom',
  TASK: 'task',
  TURN: 'turn',
} as const;
