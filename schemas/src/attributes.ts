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
} as const;
