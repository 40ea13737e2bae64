/**
 * Attribute keys the load generator writes into its synthetic agent spans.
 *
 * These belong in `schemas/src/attributes.ts` (the project keeps every key there); that file does
 * not define the GenAI keys yet and the bench may not edit `schemas`, so they are copied here, in
 * one place, until it does. Names follow the OTel GenAI semantic conventions (development status).
 */
export const GEN_AI = {
  OPERATION_NAME: 'gen_ai.operation.name',
  PROVIDER_NAME: 'gen_ai.provider.name',
  AGENT_NAME: 'gen_ai.agent.name',
  AGENT_ID: 'gen_ai.agent.id',
  AGENT_DESCRIPTION: 'gen_ai.agent.description',
  CONVERSATION_ID: 'gen_ai.conversation.id',
  REQUEST_MODEL: 'gen_ai.request.model',
  REQUEST_TEMPERATURE: 'gen_ai.request.temperature',
  REQUEST_MAX_TOKENS: 'gen_ai.request.max_tokens',
  REQUEST_TOP_P: 'gen_ai.request.top_p',
  RESPONSE_MODEL: 'gen_ai.response.model',
  RESPONSE_ID: 'gen_ai.response.id',
  RESPONSE_FINISH_REASONS: 'gen_ai.response.finish_reasons',
  OUTPUT_TYPE: 'gen_ai.output.type',
  USAGE_INPUT_TOKENS: 'gen_ai.usage.input_tokens',
  USAGE_OUTPUT_TOKENS: 'gen_ai.usage.output_tokens',
  USAGE_CACHE_READ_INPUT_TOKENS: 'gen_ai.usage.cache_read.input_tokens',
  TOOL_NAME: 'gen_ai.tool.name',
  TOOL_TYPE: 'gen_ai.tool.type',
  TOOL_CALL_ID: 'gen_ai.tool.call.id',
  TOOL_DESCRIPTION: 'gen_ai.tool.description',
  TOOL_CALL_ARGUMENTS: 'gen_ai.tool.call.arguments',
  TOOL_CALL_RESULT: 'gen_ai.tool.call.result',
} as const;

/** `gen_ai.operation.name` values the generator emits. */
export const GEN_AI_OPERATION = {
  CHAT: 'chat',
  EXECUTE_TOOL: 'execute_tool',
  INVOKE_AGENT: 'invoke_agent',
} as const;

/** Span event names the generator emits (one event per span). */
export const EVENT_NAME = {
  CHOICE: 'gen_ai.choice',
  TOOL_MESSAGE: 'gen_ai.tool.message',
  AGENT_STEP: 'gen_ai.agent.step',
  /** The stable OTel exception event. */
  EXCEPTION: 'exception',
} as const;

/** Stable (non-GenAI) OTel keys used on the synthetic spans, events and resources. */
export const OTEL = {
  HOST_NAME: 'host.name',
  HOST_ARCH: 'host.arch',
  OS_TYPE: 'os.type',
  PROCESS_PID: 'process.pid',
  PROCESS_RUNTIME_NAME: 'process.runtime.name',
  PROCESS_RUNTIME_VERSION: 'process.runtime.version',
  DEPLOYMENT_ENVIRONMENT_NAME: 'deployment.environment.name',
  TELEMETRY_SDK_NAME: 'telemetry.sdk.name',
  TELEMETRY_SDK_LANGUAGE: 'telemetry.sdk.language',
  TELEMETRY_SDK_VERSION: 'telemetry.sdk.version',
  CODE_FUNCTION_NAME: 'code.function.name',
  SERVER_ADDRESS: 'server.address',
  SERVER_PORT: 'server.port',
  SESSION_ID: 'session.id',
  USER_ID: 'user.id',
  ERROR_TYPE: 'error.type',
  EXCEPTION_TYPE: 'exception.type',
  EXCEPTION_MESSAGE: 'exception.message',
} as const;
