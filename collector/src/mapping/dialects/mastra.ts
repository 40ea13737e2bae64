import { ASSOCIATION_KEYS, MASTRA, MASTRA_SPAN_TYPE, type SpanRow } from '@agentflow/schemas';
import { pick, str, withPrefix } from '../attribute-values.js';
import { FAMILY, hasFamily } from '../attribute-families.js';
import type { CanonicalSpan, SpanCategory } from '../canonical-span.js';
import { readGenAi } from './otel-genai.js';
import type { DialectReader } from './types.js';

/**
 * `mastra.span.type` → category. The hierarchy is agent_run > model_generation > model_step >
 * model_inference (`chat`, the one call with its own usage) + tool_call; model_chunk spans (one per
 * stream chunk) sit under the call. model_generation spans a whole multi-step generation, so any
 * usage on it would repeat its calls': it is not an llm span.
 */
const BY_SPAN_TYPE: Readonly<Record<string, SpanCategory>> = {
  [MASTRA_SPAN_TYPE.AGENT_RUN]: 'agent',
  [MASTRA_SPAN_TYPE.WORKFLOW_RUN]: 'workflow',
  [MASTRA_SPAN_TYPE.MODEL_INFERENCE]: 'llm',
  [MASTRA_SPAN_TYPE.TOOL_CALL]: 'tool',
  [MASTRA_SPAN_TYPE.MCP_TOOL_CALL]: 'tool',
  [MASTRA_SPAN_TYPE.MODEL_GENERATION]: 'other',
  [MASTRA_SPAN_TYPE.MODEL_STEP]: 'other',
  [MASTRA_SPAN_TYPE.MODEL_CHUNK]: 'other',
};

/** Session keys under `mastra.metadata.*`: tracing metadata, or Mastra memory's thread id. */
const CONVERSATION_KEYS = [...ASSOCIATION_KEYS.CONVERSATION, 'threadId'];
/** Mastra memory scopes threads to a resource, usually the user. */
const USER_KEYS = [...ASSOCIATION_KEYS.USER, 'resourceId'];

/**
 * Mastra (`@mastra/otel-exporter`): GenAI keys (with Mastra's own operation names) next to
 * `mastra.span.type` and `mastra.metadata.*` (the tracing options' metadata, which is where the
 * session and user ids are when the app set them). Provider ids such as `openai.chat` are
 * normalised by the GenAI reading.
 */
export const mastra: DialectReader = {
  name: 'mastra',
  detect: (row) => hasFamily(row.attributes, FAMILY.MASTRA),
  read: readMastra,
};

function readMastra(row: SpanRow): Partial<CanonicalSpan> {
  const attrs = row.attributes;
  const genAi = readGenAi(row);
  const spanType = str(attrs, MASTRA.SPAN_TYPE);
  const metadata = withPrefix(attrs, MASTRA.METADATA_PREFIX);
  return {
    ...genAi,
    category: Object.hasOwn(BY_SPAN_TYPE, spanType) ? BY_SPAN_TYPE[spanType]! : genAi.category ?? 'other',
    operation: genAi.operation || spanType,
    conversationId: genAi.conversationId || pick(metadata, CONVERSATION_KEYS),
    userId: pick(metadata, USER_KEYS),
  };
}
