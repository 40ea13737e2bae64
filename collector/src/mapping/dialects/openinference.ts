import {
  ASSOCIATION_KEYS, GENERAL, LANGCHAIN_METADATA, OPENINFERENCE, OPENINFERENCE_SPAN_KIND, type SpanRow,
} from '@agentflow/schemas';
import { asRecord, count, field, firstStr, num, parseJson, pick, str } from '../attribute-values.js';
import type { CanonicalSpan, SpanCategory } from '../canonical-span.js';
import { unflatten } from '../flattened.js';
import { payloadHash } from '../payload-hash.js';
import { canonicalProvider } from '../provider-name.js';
import { requestedToolCalls } from '../requested-tool-calls.js';
import { normaliseUsage } from '../token-usage.js';
import type { DialectReader } from './types.js';

const BY_KIND: Readonly<Record<string, SpanCategory>> = {
  [OPENINFERENCE_SPAN_KIND.LLM]: 'llm',
  [OPENINFERENCE_SPAN_KIND.AGENT]: 'agent',
  [OPENINFERENCE_SPAN_KIND.TOOL]: 'tool',
  [OPENINFERENCE_SPAN_KIND.RETRIEVER]: 'retrieval',
  [OPENINFERENCE_SPAN_KIND.RERANKER]: 'retrieval',
  [OPENINFERENCE_SPAN_KIND.EMBEDDING]: 'embedding',
  [OPENINFERENCE_SPAN_KIND.GUARDRAIL]: 'guardrail',
};

/**
 * OpenInference (Arize): `openinference.span.kind` classifies; `llm.*` carries model and usage;
 * `input.value` / `output.value` the payloads; LangChain.js adds a `metadata` JSON on every span.
 */
export const openInference: DialectReader = {
  name: 'openinference',
  detect: (row) => str(row.attributes, OPENINFERENCE.SPAN_KIND) !== '',
  read: readOpenInference,
};

function readOpenInference(row: SpanRow): Partial<CanonicalSpan> {
  const attrs = row.attributes;
  const kind = str(attrs, OPENINFERENCE.SPAN_KIND).toUpperCase();
  const metadata = asRecord(parseJson(str(attrs, OPENINFERENCE.METADATA)));
  const lcAgentName = field(metadata, LANGCHAIN_METADATA.AGENT_NAME);
  const category = categoryOf(row, kind, lcAgentName);
  const input = str(attrs, OPENINFERENCE.INPUT_VALUE);
  const output = str(attrs, OPENINFERENCE.OUTPUT_VALUE);
  const base: Partial<CanonicalSpan> = {
    category,
    operation: str(attrs, OPENINFERENCE.SPAN_KIND),
    // AGENT spans are named after the agent; LangChain's createAgent root is a CHAIN named after it.
    agentName: category === 'agent' ? firstStr(attrs, OPENINFERENCE.AGENT_NAME) || row.name : firstStr(attrs, OPENINFERENCE.AGENT_NAME) || lcAgentName,
    workflowName: category === 'workflow' ? row.name : '',
    // session.id / user.id are the OpenInference keys (the base already read them); LangChain puts
    // them only on the root, but every span's metadata JSON repeats the RunnableConfig metadata.
    conversationId: str(attrs, GENERAL.SESSION_ID) || pick(metadata, [LANGCHAIN_METADATA.SESSION_ID, LANGCHAIN_METADATA.CONVERSATION_ID, LANGCHAIN_METADATA.THREAD_ID]),
    userId: str(attrs, GENERAL.USER_ID) || pick(metadata, ASSOCIATION_KEYS.USER),
    inputContent: input,
    outputContent: output,
  };
  if (category === 'tool') {
    return {
      ...base,
      // traceTool() sets no tool.name: the span is named after the tool.
      toolName: str(attrs, OPENINFERENCE.TOOL_NAME) || row.name,
      toolCallId: str(attrs, OPENINFERENCE.TOOL_CALL_ID),
      toolArgumentsHash: payloadHash(input),
      toolResultHash: payloadHash(output),
    };
  }
  if (category === 'llm' || category === 'embedding') return { ...base, ...readModelCall(row) };
  return base;
}

function categoryOf(row: SpanRow, kind: string, lcAgentName: string): SpanCategory {
  if (Object.hasOwn(BY_KIND, kind)) return BY_KIND[kind]!;
  if (kind !== OPENINFERENCE_SPAN_KIND.CHAIN) return 'other';
  // LangChain.js createAgent has no AGENT kind: its root CHAIN is named after createAgent({ name }),
  // which every span below repeats as metadata.lc_agent_name; the LangGraph nodes are CHAINs too.
  if (lcAgentName !== '' && row.name === lcAgentName) return 'agent';
  // A root chain is the workflow the app traced; nested chains are its steps.
  return row.parentSpanId === '' ? 'workflow' : 'other';
}

/**
 * Model, usage and cost of an LLM span. `llm.model_name` is written from the request and replaced
 * by the response's `model` only when the instrumentation sees a final response body; a streamed
 * call whose usage never arrived (OpenAI instrumentation, stream without include_usage) still
 * carries the request model there, so it counts as the response model only when usage came back.
 * The request model is in `llm.invocation_parameters`.
 */
function readModelCall(row: SpanRow): Partial<CanonicalSpan> {
  const attrs = row.attributes;
  const params = asRecord(parseJson(str(attrs, OPENINFERENCE.LLM_INVOCATION_PARAMETERS)));
  const modelName = str(attrs, OPENINFERENCE.LLM_MODEL_NAME);
  // llm.token_count.prompt counts the whole prompt; prompt_details.* break it down (inclusive).
  const usage = normaliseUsage(
    {
      input: count(attrs, OPENINFERENCE.LLM_TOKEN_COUNT_PROMPT),
      output: count(attrs, OPENINFERENCE.LLM_TOKEN_COUNT_COMPLETION),
      cacheRead: count(attrs, OPENINFERENCE.LLM_TOKEN_COUNT_PROMPT_CACHE_READ),
      cacheWrite: count(attrs, OPENINFERENCE.LLM_TOKEN_COUNT_PROMPT_CACHE_WRITE),
      reasoning: count(attrs, OPENINFERENCE.LLM_TOKEN_COUNT_COMPLETION_REASONING),
    },
    'inclusive',
  );
  const finish = str(attrs, OPENINFERENCE.LLM_FINISH_REASON);
  return {
    requestModel: field(params, 'model') || field(params, 'model_name') || modelName,
    responseModel: usage !== null ? modelName : '',
    provider: canonicalProvider(firstStr(attrs, OPENINFERENCE.LLM_PROVIDER, OPENINFERENCE.LLM_SYSTEM)),
    usage,
    providedCostUsd: num(attrs, OPENINFERENCE.LLM_COST_TOTAL),
    finishReasons: finish === '' ? [] : [finish],
    responseFormat: responseFormatOf(params),
    requestedToolCalls: requestedToolCalls(
      unflatten(attrs, OPENINFERENCE.LLM_OUTPUT_MESSAGES),
      parseJson(str(attrs, OPENINFERENCE.OUTPUT_VALUE)),
    ),
  };
}

/** OpenAI's `response_format` (`{type: 'json_object' | 'json_schema' | 'text'}`) as a canonical format: `json`, `text` or ''. */
function responseFormatOf(params: Record<string, unknown> | undefined): string {
  const format = asRecord(params?.['response_format']);
  const type = field(format, 'type');
  if (type === 'json_object' || type === 'json_schema') return 'json';
  return type === 'text' ? 'text' : '';
}
