import { ASSOCIATION_KEYS, GENERAL, OPENAI_AGENTS, OPENAI_AGENTS_SPAN_TYPE, type SpanRow } from '@agentflow/schemas';
import { pick, str, withPrefix } from '../attribute-values.js';
import { FAMILY, hasFamily } from '../attribute-families.js';
import type { CanonicalSpan, SpanCategory } from '../canonical-span.js';
import { readGenAi } from './otel-genai.js';
import type { DialectReader } from './types.js';

/**
 * `openai.agents.span.type` (the SDK's span data types) → category. The bridge's `task` (one run)
 * and `turn` (one agent turn) spans carry the run's aggregated `openai.agents.usage.*`; they are
 * not model calls, so that usage is never counted (the `generation` spans hold the calls').
 */
const BY_SPAN_TYPE: Readonly<Record<string, SpanCategory>> = {
  [OPENAI_AGENTS_SPAN_TYPE.AGENT]: 'agent',
  [OPENAI_AGENTS_SPAN_TYPE.GENERATION]: 'llm',
  [OPENAI_AGENTS_SPAN_TYPE.RESPONSE]: 'llm',
  [OPENAI_AGENTS_SPAN_TYPE.FUNCTION]: 'tool',
  [OPENAI_AGENTS_SPAN_TYPE.HANDOFF]: 'handoff',
  [OPENAI_AGENTS_SPAN_TYPE.GUARDRAIL]: 'guardrail',
  [OPENAI_AGENTS_SPAN_TYPE.TASK]: 'other',
  [OPENAI_AGENTS_SPAN_TYPE.TURN]: 'other',
  [OPENAI_AGENTS_SPAN_TYPE.CUSTOM]: 'other',
};

/**
 * OpenAI Agents SDK runs bridged to OTel: GenAI keys plus `openai.agents.*` (span type, workflow
 * name, trace metadata, handoff source and target). The SDK's group id is the conversation when
 * the bridge did not map it to `gen_ai.conversation.id`.
 */
export const openAiAgents: DialectReader = {
  name: 'openai-agents',
  detect: (row) => hasFamily(row.attributes, FAMILY.OPENAI_AGENTS),
  read: readOpenAiAgents,
};

function readOpenAiAgents(row: SpanRow, base: CanonicalSpan): Partial<CanonicalSpan> {
  const attrs = row.attributes;
  const genAi = readGenAi(row);
  const spanType = str(attrs, OPENAI_AGENTS.SPAN_TYPE);
  const metadata = withPrefix(attrs, OPENAI_AGENTS.METADATA_PREFIX);
  const category = Object.hasOwn(BY_SPAN_TYPE, spanType) ? BY_SPAN_TYPE[spanType]! : genAi.category ?? 'other';
  const handoff: Partial<CanonicalSpan> =
    category === 'handoff'
      ? { agentName: str(attrs, OPENAI_AGENTS.HANDOFF_FROM_AGENT), targetAgentName: str(attrs, OPENAI_AGENTS.HANDOFF_TO_AGENT) }
      : {};
  return {
    ...genAi,
    category,
    operation: genAi.operation || spanType,
    workflowName: genAi.workflowName || str(attrs, OPENAI_AGENTS.WORKFLOW_NAME),
    conversationId: genAi.conversationId || str(attrs, OPENAI_AGENTS.GROUP_ID),
    userId: pick(metadata, ASSOCIATION_KEYS.USER),
    errorMessage: errorWithData(row, base.errorMessage),
    ...handoff,
  };
}

/**
 * The SDK reports tool failures with a generic message ("Error running tool (non-fatal)") and puts
 * the detail in the error's data, which the bridge copies onto the exception event.
 */
function errorWithData(row: SpanRow, message: string): string {
  if (message === '') return '';
  const event = row.events.find((e) => e.name === GENERAL.EXCEPTION_EVENT && str(e.attributes, OPENAI_AGENTS.ERROR_DATA) !== '');
  return event === undefined ? message : `${message}: ${str(event.attributes, OPENAI_AGENTS.ERROR_DATA)}`;
}
