import {
  ASSOCIATION_KEYS, GEN_AI, GEN_AI_LEGACY, OPENLLMETRY, OPENLLMETRY_SPAN_KIND, type SpanRow,
} from '@agentflow/schemas';
import { firstStr, pick, str, withPrefix } from '../attribute-values.js';
import { FAMILY, hasFamily } from '../attribute-families.js';
import type { CanonicalSpan, SpanCategory } from '../canonical-span.js';
import { payloadHash } from '../payload-hash.js';
import { canonicalProvider } from '../provider-name.js';
import { providerInputCounting } from '../token-usage.js';
import { categoryOfOperation } from './operation-category.js';
import { readGenAi } from './otel-genai.js';
import type { DialectReader } from './types.js';

const BY_SPAN_KIND: Readonly<Record<string, SpanCategory>> = {
  [OPENLLMETRY_SPAN_KIND.WORKFLOW]: 'workflow',
  [OPENLLMETRY_SPAN_KIND.AGENT]: 'agent',
  [OPENLLMETRY_SPAN_KIND.TOOL]: 'tool',
  [OPENLLMETRY_SPAN_KIND.TASK]: 'other',
};

/**
 * OpenLLMetry (Traceloop SDK): `traceloop.span.kind` (workflow / task / agent / tool) on the spans
 * its decorators and `with*` helpers create, named by `traceloop.entity.name`; its provider
 * instrumentations write GenAI keys on the model-call spans (older releases: `llm.request.type`,
 * flattened `gen_ai.prompt.N.*` / `gen_ai.completion.N.*`, `llm.usage.total_tokens`). Association
 * properties (`traceloop.association.properties.*`) carry session and user ids.
 */
export const openLlmetry: DialectReader = {
  name: 'openllmetry',
  detect: (row) => hasFamily(row.attributes, FAMILY.OPENLLMETRY),
  read: readOpenLlmetry,
};

/** The span kind of a Traceloop entity; else the GenAI operation; else the older `llm.request.type`. */
function categoryOf(kind: string, genAiCategory: SpanCategory, requestType: string): SpanCategory {
  if (Object.hasOwn(BY_SPAN_KIND, kind)) return BY_SPAN_KIND[kind]!;
  return genAiCategory === 'other' && requestType !== '' ? categoryOfOperation(requestType) : genAiCategory;
}

/**
 * The SDK's `withConversation(id, fn)` opens a workflow-kind span whose entity is named
 * `conversation.<id>` and sets `gen_ai.conversation.id`: a conversation scope around the app's real
 * workflows, not a workflow of its own (the session id is what it carries).
 */
function isConversationScope(entityName: string, conversationId: string): boolean {
  return conversationId !== '' && entityName === `conversation.${conversationId}`;
}

function readOpenLlmetry(row: SpanRow): Partial<CanonicalSpan> {
  const attrs = row.attributes;
  const provider = canonicalProvider(firstStr(attrs, GEN_AI.PROVIDER_NAME, GEN_AI_LEGACY.SYSTEM));
  // The instrumentations forward the provider's own prompt count: Anthropic's excludes the cache.
  const genAi = readGenAi(row, { inputCounting: providerInputCounting(provider) });
  const kind = str(attrs, OPENLLMETRY.SPAN_KIND);
  const entityName = str(attrs, OPENLLMETRY.ENTITY_NAME);
  const association = withPrefix(attrs, OPENLLMETRY.ASSOCIATION_PROPERTIES_PREFIX);
  const requestType = str(attrs, OPENLLMETRY.LLM_REQUEST_TYPE);
  const category = isConversationScope(entityName, genAi.conversationId ?? '') ? 'other' : categoryOf(kind, genAi.category ?? 'other', requestType);
  const common: Partial<CanonicalSpan> = {
    ...genAi,
    category,
    operation: genAi.operation || kind || requestType,
    conversationId: genAi.conversationId || pick(association, ASSOCIATION_KEYS.CONVERSATION),
    userId: pick(association, ASSOCIATION_KEYS.USER),
  };
  switch (category) {
    case 'workflow':
      // traceloop.workflow.name holds the innermost entity (an agent's name inside an agent), so the
      // workflow span's own entity name is the workflow.
      return { ...common, workflowName: entityName };
    case 'agent':
      return { ...common, agentName: genAi.agentName || entityName };
    case 'tool': {
      if (kind === '') return common;
      // withTool / @tool spans: the entity is the tool; its input/output are the call's payloads.
      const input = str(attrs, OPENLLMETRY.ENTITY_INPUT);
      const output = str(attrs, OPENLLMETRY.ENTITY_OUTPUT);
      return {
        ...common,
        toolName: genAi.toolName || entityName,
        toolArgumentsHash: payloadHash(input),
        toolResultHash: payloadHash(output),
        inputContent: input,
        outputContent: output,
      };
    }
    default:
      return common;
  }
}
