import { ASSOCIATION_KEYS, GEN_AI, VERCEL_AI, VERCEL_AI_OPERATION, type SpanRow } from '@agentflow/schemas';
import { count, firstStr, parseJson, pick, str, withPrefix } from '../attribute-values.js';
import { FAMILY, hasFamily } from '../attribute-families.js';
import type { CanonicalSpan, SpanCategory } from '../canonical-span.js';
import { payloadHash } from '../payload-hash.js';
import { canonicalProvider } from '../provider-name.js';
import { requestedToolCalls } from '../requested-tool-calls.js';
import { normaliseUsage, providerInputCounting } from '../token-usage.js';
import { readGenAi } from './otel-genai.js';
import type { DialectReader } from './types.js';

/** The outer calls: one AI SDK run (the closest thing the SDK has to an agent invocation). */
const RUNS: ReadonlySet<string> = new Set([
  VERCEL_AI_OPERATION.GENERATE_TEXT,
  VERCEL_AI_OPERATION.STREAM_TEXT,
  VERCEL_AI_OPERATION.GENERATE_OBJECT,
  VERCEL_AI_OPERATION.STREAM_OBJECT,
]);
const EMBEDDING_CALLS: ReadonlySet<string> = new Set([VERCEL_AI_OPERATION.EMBED_DO_EMBED, VERCEL_AI_OPERATION.EMBED_MANY_DO_EMBED]);
const MODEL_CALL_SUFFIXES = ['.doGenerate', '.doStream'];

/**
 * Vercel AI SDK. v4–v6 `experimental_telemetry` spans carry `ai.operationId`: the outer
 * `ai.generateText` / `ai.streamText` is the run (its `ai.usage.*` sums the steps), each
 * `*.doGenerate` / `*.doStream` child is one model call, `ai.toolCall` a tool. v7 (`@ai-sdk/otel`)
 * emits GenAI spans (`invoke_agent`, non-standard `agent_step`, `chat`, `execute_tool`) and puts the
 * call's `context` settings under `ai.settings.context.*`; those read as GenAI plus that context.
 */
export const vercelAi: DialectReader = {
  name: 'vercel-ai',
  detect: (row) => hasFamily(row.attributes, FAMILY.VERCEL_AI),
  read: (row) => (str(row.attributes, VERCEL_AI.OPERATION_ID) === '' ? readV7(row) : readLegacy(row)),
};

/** v7: GenAI spans; session and user only in the context settings (there are no other keys for them). */
function readV7(row: SpanRow): Partial<CanonicalSpan> {
  const context = withPrefix(row.attributes, VERCEL_AI.SETTINGS_CONTEXT_PREFIX);
  const genAi = readGenAi(row);
  return {
    ...genAi,
    conversationId: genAi.conversationId || pick(context, ASSOCIATION_KEYS.CONVERSATION),
    userId: pick(context, ASSOCIATION_KEYS.USER),
  };
}

function readLegacy(row: SpanRow): Partial<CanonicalSpan> {
  const attrs = row.attributes;
  const operation = str(attrs, VERCEL_AI.OPERATION_ID);
  const category = categoryOf(operation);
  const metadata = withPrefix(attrs, VERCEL_AI.METADATA_PREFIX);
  const provider = canonicalProvider(firstStr(attrs, VERCEL_AI.MODEL_PROVIDER, GEN_AI.PROVIDER_NAME));
  const common: Partial<CanonicalSpan> = {
    category,
    operation,
    // No agent name exists in v4–v6; telemetry.functionId names the run and is repeated on every
    // span of it, which also attributes tool spans that streamText exports as separate traces.
    agentName: str(attrs, VERCEL_AI.FUNCTION_ID),
    conversationId: pick(metadata, ASSOCIATION_KEYS.CONVERSATION),
    userId: pick(metadata, ASSOCIATION_KEYS.USER),
    requestModel: firstStr(attrs, VERCEL_AI.MODEL_ID, GEN_AI.REQUEST_MODEL),
    provider,
  };
  if (category === 'tool') {
    const args = str(attrs, VERCEL_AI.TOOL_CALL_ARGS);
    const result = str(attrs, VERCEL_AI.TOOL_CALL_RESULT);
    return {
      ...common,
      toolName: str(attrs, VERCEL_AI.TOOL_CALL_NAME),
      toolCallId: str(attrs, VERCEL_AI.TOOL_CALL_ID),
      toolType: 'function',
      toolArgumentsHash: payloadHash(args),
      toolResultHash: payloadHash(result),
      inputContent: args,
      outputContent: result,
    };
  }
  const toolCalls = str(attrs, VERCEL_AI.RESPONSE_TOOL_CALLS);
  const finish = str(attrs, VERCEL_AI.RESPONSE_FINISH_REASON);
  return {
    ...common,
    responseModel: firstStr(attrs, VERCEL_AI.RESPONSE_MODEL, GEN_AI.RESPONSE_MODEL),
    usage: readUsage(row, provider),
    finishReasons: finish === '' ? [] : [finish],
    requestedToolCalls: category === 'llm' ? requestedToolCalls(parseJson(toolCalls)) : [],
    inputContent: firstStr(attrs, VERCEL_AI.PROMPT_MESSAGES, VERCEL_AI.PROMPT),
    outputContent: firstStr(attrs, VERCEL_AI.RESPONSE_TEXT, VERCEL_AI.RESPONSE_OBJECT) || toolCalls,
  };
}

function categoryOf(operation: string): SpanCategory {
  if (RUNS.has(operation)) return 'agent';
  if (operation === VERCEL_AI_OPERATION.TOOL_CALL) return 'tool';
  if (EMBEDDING_CALLS.has(operation)) return 'embedding';
  return MODEL_CALL_SUFFIXES.some((s) => operation.endsWith(s)) ? 'llm' : 'other';
}

/**
 * v6 reports `inputTokens` as the total with an `inputTokenDetails` breakdown (noCache + cacheRead +
 * cacheWrite). v5 had only `inputTokens` + `cachedInputTokens`, and v4 `promptTokens`: the
 * provider's own number, which for Anthropic leaves the cache out. Embedding calls report
 * `ai.usage.tokens`.
 */
function readUsage(row: SpanRow, provider: string): CanonicalSpan['usage'] {
  const attrs = row.attributes;
  const hasDetails =
    str(attrs, VERCEL_AI.USAGE_INPUT_NO_CACHE_TOKENS) !== '' ||
    str(attrs, VERCEL_AI.USAGE_INPUT_CACHE_READ_TOKENS) !== '' ||
    str(attrs, VERCEL_AI.USAGE_INPUT_CACHE_WRITE_TOKENS) !== '';
  return normaliseUsage(
    {
      input: count(attrs, VERCEL_AI.USAGE_INPUT_TOKENS) ?? count(attrs, VERCEL_AI.USAGE_PROMPT_TOKENS) ?? count(attrs, VERCEL_AI.USAGE_TOKENS),
      output: count(attrs, VERCEL_AI.USAGE_OUTPUT_TOKENS) ?? count(attrs, VERCEL_AI.USAGE_COMPLETION_TOKENS),
      cacheRead: count(attrs, VERCEL_AI.USAGE_INPUT_CACHE_READ_TOKENS) ?? count(attrs, VERCEL_AI.USAGE_CACHED_INPUT_TOKENS),
      cacheWrite: count(attrs, VERCEL_AI.USAGE_INPUT_CACHE_WRITE_TOKENS),
      reasoning: count(attrs, VERCEL_AI.USAGE_OUTPUT_REASONING_TOKENS) ?? count(attrs, VERCEL_AI.USAGE_REASONING_TOKENS),
    },
    hasDetails ? 'inclusive' : providerInputCounting(provider),
  );
}
