import { mastra } from './mastra.js';
import { openAiAgents } from './openai-agents.js';
import { openInference } from './openinference.js';
import { openLlmetry } from './openllmetry.js';
import { otelGenAi } from './otel-genai.js';
import type { DialectReader } from './types.js';
import { vercelAi } from './vercel-ai.js';

/**
 * Dialect readers, most specific first. Every framework here also writes some `gen_ai.*` keys, so
 * each is detected by its own family (`openai.agents.*`, `mastra.*`, `ai.*`, `traceloop.*`,
 * `openinference.span.kind`) before the GenAI conventions, which read any remaining `gen_ai.*` span.
 * The framework readers reuse the GenAI reading and correct it where the framework differs.
 *
 * The AI SDK comes before OpenLLMetry and OpenInference because both re-export AI SDK spans with
 * their own keys added (Traceloop's AI SDK support, `@arizeai/openinference-vercel`) and copy the
 * run's usage onto the outer span too; `ai.operationId` is what tells the run from the model call.
 */
export const DIALECT_READERS: readonly DialectReader[] = [openAiAgents, mastra, vercelAi, openLlmetry, openInference, otelGenAi];
