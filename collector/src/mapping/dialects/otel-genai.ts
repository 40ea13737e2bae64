import { ATTRIBUTE_PREFIX, GEN_AI, GEN_AI_LEGACY, type SpanRow } from '@agentflow/schemas';
import { count, firstStr, num, str } from '../attribute-values.js';
import { FAMILY, hasFamily } from '../attribute-families.js';
import type { CanonicalSpan, SpanCategory } from '../canonical-span.js';
import { payloadHash } from '../payload-hash.js';
import { canonicalProvider } from '../provider-name.js';
import { requestedToolCalls } from '../requested-tool-calls.js';
import { normaliseUsage, providerInputCounting, type InputCounting } from '../token-usage.js';
import { readGenAiContent } from './genai-content.js';
import { categoryOfOperation } from './operation-category.js';
import type { DialectReader } from './types.js';

/**
 * The OTel GenAI conventions, current and legacy: the fallback for any span with a `gen_ai.*`
 * attribute (or a `gen_ai.*` content event), and the base the framework readers build on, since
 * every framework here also writes some GenAI keys.
 */
export const otelGenAi: DialectReader = {
  name: 'otel-genai',
  detect: (row) => hasFamily(row.attributes, FAMILY.GEN_AI) || row.events.some((e) => e.name.startsWith(ATTRIBUTE_PREFIX.GEN_AI)),
  read: (row) => readGenAi(row),
};

/** Options for framework readers that reuse the GenAI reading. */
export interface GenAiReadOptions {
  /** Overrides how the input count treats cache tokens (the framework knows better than the key). */
  inputCounting?: InputCounting;
}

/** Every GenAI field of the span; usage is read whatever the category (the caller's final step drops it off llm/embedding spans). */
export function readGenAi(row: SpanRow, options: GenAiReadOptions = {}): Partial<CanonicalSpan> {
  const attrs = row.attributes;
  const operation = str(attrs, GEN_AI.OPERATION_NAME);
  const provider = canonicalProvider(firstStr(attrs, GEN_AI.PROVIDER_NAME, GEN_AI_LEGACY.SYSTEM));
  const category = genAiCategory(row, operation);
  const content = readGenAiContent(row);
  const toolArgs = str(attrs, GEN_AI.TOOL_CALL_ARGUMENTS);
  const toolResult = str(attrs, GEN_AI.TOOL_CALL_RESULT);
  return {
    category,
    operation,
    agentId: str(attrs, GEN_AI.AGENT_ID),
    agentName: str(attrs, GEN_AI.AGENT_NAME),
    agentDescription: str(attrs, GEN_AI.AGENT_DESCRIPTION),
    workflowName: str(attrs, GEN_AI.WORKFLOW_NAME),
    conversationId: str(attrs, GEN_AI.CONVERSATION_ID),
    requestModel: str(attrs, GEN_AI.REQUEST_MODEL),
    responseModel: str(attrs, GEN_AI.RESPONSE_MODEL),
    provider,
    usage: readGenAiUsage(row, provider, options.inputCounting),
    providedCostUsd: num(attrs, GEN_AI.USAGE_COST),
    toolName: str(attrs, GEN_AI.TOOL_NAME),
    toolCallId: str(attrs, GEN_AI.TOOL_CALL_ID),
    toolType: str(attrs, GEN_AI.TOOL_TYPE),
    toolArgumentsHash: payloadHash(toolArgs),
    toolResultHash: payloadHash(toolResult),
    finishReasons: content.finishReasons,
    requestedToolCalls: category === 'llm' ? requestedToolCalls(content.outputValue()) : [],
    inputContent: category === 'tool' ? toolArgs : content.input,
    outputContent: category === 'tool' ? toolResult : content.output,
    responseFormat: str(attrs, GEN_AI.OUTPUT_TYPE),
  };
}

/**
 * The operation decides. Spans from before `gen_ai.operation.name` existed (2024 conventions) name
 * no operation; a request model or token counts then mark the model call itself.
 */
function genAiCategory(row: SpanRow, operation: string): SpanCategory {
  if (operation !== '') return categoryOfOperation(operation);
  const attrs = row.attributes;
  const looksLikeCall =
    str(attrs, GEN_AI.REQUEST_MODEL) !== '' ||
    str(attrs, GEN_AI.USAGE_INPUT_TOKENS) !== '' ||
    str(attrs, GEN_AI_LEGACY.USAGE_PROMPT_TOKENS) !== '';
  return looksLikeCall ? 'llm' : 'other';
}

/**
 * Usage from the current keys, else the legacy ones. The current `gen_ai.usage.input_tokens` counts
 * cached tokens by definition; the legacy `gen_ai.usage.prompt_tokens` carried whatever the provider
 * reported (Anthropic's excludes the cache), so its counting follows the provider.
 */
export function readGenAiUsage(row: SpanRow, provider: string, inputCounting?: InputCounting): CanonicalSpan['usage'] {
  const attrs = row.attributes;
  const current = count(attrs, GEN_AI.USAGE_INPUT_TOKENS);
  const legacy = count(attrs, GEN_AI_LEGACY.USAGE_PROMPT_TOKENS);
  const counting = inputCounting ?? (current !== null || legacy === null ? 'inclusive' : providerInputCounting(provider));
  return normaliseUsage(
    {
      input: current ?? legacy,
      output: count(attrs, GEN_AI.USAGE_OUTPUT_TOKENS) ?? count(attrs, GEN_AI_LEGACY.USAGE_COMPLETION_TOKENS),
      cacheRead: count(attrs, GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS) ?? count(attrs, GEN_AI_LEGACY.USAGE_CACHE_READ_INPUT_TOKENS),
      cacheWrite:
        count(attrs, GEN_AI.USAGE_CACHE_CREATION_INPUT_TOKENS) ?? count(attrs, GEN_AI_LEGACY.USAGE_CACHE_CREATION_INPUT_TOKENS),
      reasoning: count(attrs, GEN_AI.USAGE_REASONING_OUTPUT_TOKENS),
    },
    counting,
  );
}
