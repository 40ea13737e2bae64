import type { TokenUsage } from './canonical-span.js';

/** Token counts as one emitter reported them, before normalisation; null = not reported. */
export interface RawUsage {
  input: number | null;
  output: number | null;
  cacheRead: number | null;
  cacheWrite: number | null;
  reasoning: number | null;
}

/**
 * Whether a reported input count already contains the cached tokens.
 * - `inclusive`: OpenAI's `prompt_tokens`, the GenAI conventions' `gen_ai.usage.input_tokens`
 *   ("SHOULD include all tokens, including cached"), OpenInference `llm.token_count.prompt`
 *   (its `prompt_details` are a breakdown), AI SDK v6 `inputTokens` (= noCache + cacheRead + cacheWrite).
 * - `exclusive`: Anthropic's `input_tokens` (and Bedrock's `inputTokens`) count only the uncached
 *   part; `cache_read_input_tokens` / `cache_creation_input_tokens` come on top. Instrumentations
 *   that forward the provider's number verbatim inherit that.
 */
export type InputCounting = 'inclusive' | 'exclusive';

/** Providers whose own usage reports input tokens without the cache reads and writes. */
const CACHE_EXCLUSIVE_PROVIDERS: ReadonlySet<string> = new Set(['anthropic', 'aws.bedrock']);

/** How a provider's own input count treats cache tokens (for dialects that forward it verbatim). */
export function providerInputCounting(provider: string): InputCounting {
  return CACHE_EXCLUSIVE_PROVIDERS.has(provider) ? 'exclusive' : 'inclusive';
}

/**
 * The canonical usage (DESIGN §3): `input` includes cache reads and writes, `output` includes
 * reasoning. Null when the span reported no count at all (unknown is not zero: a streamed call
 * whose usage chunk was ignored has no usage, not 0 tokens).
 *
 * Two sanity rules hold whatever the dialect claims: an input count smaller than its own cached
 * part cannot include it (so the cache is added), and an output count smaller than the reasoning
 * count cannot include it (Gemini reports `thoughtsTokenCount` apart from `candidatesTokenCount`).
 */
export function normaliseUsage(raw: RawUsage, counting: InputCounting): TokenUsage | null {
  if (raw.input === null && raw.output === null && raw.cacheRead === null && raw.cacheWrite === null && raw.reasoning === null) {
    return null;
  }
  const cacheRead = raw.cacheRead ?? 0;
  const cacheWrite = raw.cacheWrite ?? 0;
  const reasoning = raw.reasoning ?? 0;
  const reportedInput = raw.input ?? 0;
  const cached = cacheRead + cacheWrite;
  const input = counting === 'exclusive' || reportedInput < cached ? reportedInput + cached : reportedInput;
  const reportedOutput = raw.output ?? 0;
  const output = reportedOutput < reasoning ? reportedOutput + reasoning : reportedOutput;
  return { input, output, cacheRead, cacheWrite, reasoning };
}
