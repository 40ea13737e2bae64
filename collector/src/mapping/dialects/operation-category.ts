import { GEN_AI_OPERATION, GEN_AI_OPERATION_EXTRA } from '@agentflow/schemas';
import type { SpanCategory } from '../canonical-span.js';

/**
 * `gen_ai.operation.name` → category. Only the operation classifies a GenAI span: OpenLLMetry and
 * Mastra copy `gen_ai.agent.name` onto every descendant, so an agent name alone never makes an
 * agent span. Non-standard steps (`agent_step`, Mastra's `model_generation` / `model_chunk`) are
 * 'other': a step or a whole multi-step generation is not one model call, and its usage (when
 * present) repeats the calls beneath it. `create_agent` creates, it does not invoke.
 */
const BY_OPERATION: Readonly<Record<string, SpanCategory>> = {
  [GEN_AI_OPERATION.INVOKE_AGENT]: 'agent',
  [GEN_AI_OPERATION.CHAT]: 'llm',
  [GEN_AI_OPERATION.TEXT_COMPLETION]: 'llm',
  [GEN_AI_OPERATION.GENERATE_CONTENT]: 'llm',
  [GEN_AI_OPERATION_EXTRA.COMPLETION]: 'llm',
  [GEN_AI_OPERATION.EMBEDDINGS]: 'embedding',
  [GEN_AI_OPERATION_EXTRA.EMBEDDING]: 'embedding',
  [GEN_AI_OPERATION.RETRIEVAL]: 'retrieval',
  [GEN_AI_OPERATION_EXTRA.RERANK]: 'retrieval',
  [GEN_AI_OPERATION.EXECUTE_TOOL]: 'tool',
  [GEN_AI_OPERATION.INVOKE_WORKFLOW]: 'workflow',
  [GEN_AI_OPERATION.PLAN]: 'decision',
};

/** The category of a GenAI operation name; 'other' for unknown or empty names. */
export function categoryOfOperation(operation: string): SpanCategory {
  return Object.hasOwn(BY_OPERATION, operation) ? BY_OPERATION[operation]! : 'other';
}
