/**
 * Token usage of one model call, from whichever of the shapes the SDK exports it in:
 * - the span's own `usage` (`{input_tokens, output_tokens, details?}`: the SDK's exporter keeps
 *   only the two counts at the top and moves every other field under `details`);
 * - the raw response in `output`: Chat Completions (`prompt_tokens`, `completion_tokens`,
 *   `prompt_tokens_details.cached_tokens`, `completion_tokens_details.reasoning_tokens`) or
 *   Responses (`input_tokens`, `output_tokens`, `input_tokens_details.cached_tokens`,
 *   `output_tokens_details.reasoning_tokens`).
 */
import { GEN_AI, type AttributeMap } from '@agentflow/schemas';
import type { JsonObject } from '../otlp/json-fields.js';
import { asObject, numberIn, setNumber } from './item-fields.js';

/** Where a count may be: a field of the usage object, or a field of one of its detail objects. */
type Place = readonly [field: string] | readonly [details: string, field: string];

const INPUT: readonly Place[] = [['input_tokens'], ['prompt_tokens']];
const OUTPUT: readonly Place[] = [['output_tokens'], ['completion_tokens']];
const CACHE_READ: readonly Place[] = [
  ['input_tokens_details', 'cached_tokens'], ['prompt_tokens_details', 'cached_tokens'],
  ['cached_tokens'], ['cached_input_tokens'], ['cache_read_input_tokens'],
];
const CACHE_WRITE: readonly Place[] = [['cache_write_input_tokens'], ['cache_creation_input_tokens']];
const REASONING: readonly Place[] = [
  ['output_tokens_details', 'reasoning_tokens'], ['completion_tokens_details', 'reasoning_tokens'], ['reasoning_tokens'],
];

/**
 * Writes the GenAI usage attributes of one call (`gen_ai.usage.*`, input including cached tokens,
 * output including reasoning tokens, as OpenAI counts them). Each count comes from the first
 * usage object, in the order given, that reports it: a count one source leaves out (the span's
 * `usage` often carries only input and output) is taken from the next.
 */
export function writeCallUsage(attributes: AttributeMap, usages: readonly (JsonObject | undefined)[]): void {
  const scopes: JsonObject[] = [];
  for (const usage of usages) {
    if (usage === undefined) continue;
    scopes.push(usage);
    const details = asObject(usage['details']);
    if (details !== undefined) scopes.push(details);
  }
  setNumber(attributes, GEN_AI.USAGE_INPUT_TOKENS, firstCount(scopes, INPUT));
  setNumber(attributes, GEN_AI.USAGE_OUTPUT_TOKENS, firstCount(scopes, OUTPUT));
  setNumber(attributes, GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS, firstCount(scopes, CACHE_READ));
  setNumber(attributes, GEN_AI.USAGE_CACHE_CREATION_INPUT_TOKENS, firstCount(scopes, CACHE_WRITE));
  setNumber(attributes, GEN_AI.USAGE_REASONING_OUTPUT_TOKENS, firstCount(scopes, REASONING));
}

function firstCount(scopes: readonly JsonObject[], places: readonly Place[]): number | undefined {
  for (const scope of scopes) {
    for (const place of places) {
      const n = place.length === 1 ? numberIn(scope, place[0]) : numberIn(asObject(scope[place[0]]), place[1]);
      if (n !== undefined && n >= 0) return n;
    }
  }
  return undefined;
}
