import { bedrockEndpointOf, normaliseModelName, normaliseProvider } from './model-name.js';
import type { ModelPrice, PriceBook } from './price-book.js';

/**
 * Token counts of one call (DESIGN.md §3): `input` includes cached tokens (read and written),
 * `output` includes reasoning tokens. Structurally the same as the mapping stage's `TokenUsage`.
 */
export interface CostUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

/** The cost of one call and where it came from (`agent_actions.cost_usd` / `cost_source`). */
export type CostResult =
  | { costUsd: number; source: 'provided' }
  | { costUsd: number; source: 'computed' }
  /** No price for this model: reported, never counted as zero. `model` is the normalised name. */
  | { costUsd: null; source: 'unknown'; model: string; provider: string };

/** A call time: a Date, ms since the Unix epoch (number), or ns since the Unix epoch (bigint, as spans carry). */
export type CallTime = Date | number | bigint;

const TOKENS_PER_PRICE_UNIT = 1_000_000;

/**
 * Prices one call from its tokens: uncached input (`input − cacheRead − cacheWrite`) at the input
 * price, cache reads and writes at theirs, visible output (`output − reasoning`) at the output
 * price and reasoning at the reasoning price, all per 1M tokens. Negative or non-finite counts count
 * as 0, and a difference that would go negative (an emitter reporting more cached than input
 * tokens) is clamped at 0. The model and provider are normalised here (a Bedrock id selects Bedrock
 * prices whatever provider the span named). An unknown model yields `{ costUsd: null, source:
 * 'unknown' }`, never 0.
 *
 * @param atTime when the call happened; picks the price in force (`valid_from`).
 * @param tenantId whose overrides apply; none when omitted.
 */
export function computeCost(
  usage: CostUsage,
  model: string,
  provider: string,
  atTime: CallTime,
  book: PriceBook,
  tenantId?: string,
): CostResult {
  const normalisedModel = normaliseModelName(model);
  const endpoint = bedrockEndpointOf(model);
  const normalisedProvider = endpoint ? 'aws.bedrock' : normaliseProvider(provider);
  const price = book.lookup({
    model: normalisedModel,
    provider: normalisedProvider,
    endpoint,
    atMs: toEpochMs(atTime),
    tenantId,
  });
  if (!price) return { costUsd: null, source: 'unknown', model: normalisedModel, provider: normalisedProvider };
  return { costUsd: priceTokens(usage, price), source: 'computed' };
}

/**
 * The cost to record for a call: a cost the emitter reported (`gen_ai.usage.cost`,
 * `llm.cost.total`; finite and ≥ 0) wins and is marked `provided`; otherwise `computeCost`.
 */
export function resolveCost(
  providedCostUsd: number | null,
  usage: CostUsage,
  model: string,
  provider: string,
  atTime: CallTime,
  book: PriceBook,
  tenantId?: string,
): CostResult {
  if (providedCostUsd !== null && Number.isFinite(providedCostUsd) && providedCostUsd >= 0) {
    return { costUsd: providedCostUsd, source: 'provided' };
  }
  return computeCost(usage, model, provider, atTime, book, tenantId);
}

/** USD for `usage` at `price`. */
function priceTokens(usage: CostUsage, price: ModelPrice): number {
  const input = count(usage.input);
  const output = count(usage.output);
  const cacheRead = count(usage.cacheRead);
  const cacheWrite = count(usage.cacheWrite);
  const reasoning = count(usage.reasoning);
  const uncachedInput = Math.max(0, input - cacheRead - cacheWrite);
  const visibleOutput = Math.max(0, output - reasoning);
  const micro =
    uncachedInput * price.input +
    cacheRead * price.cacheRead +
    cacheWrite * price.cacheWrite +
    visibleOutput * price.output +
    reasoning * price.reasoning;
  return micro / TOKENS_PER_PRICE_UNIT;
}

function count(tokens: number): number {
  return Number.isFinite(tokens) && tokens > 0 ? tokens : 0;
}

function toEpochMs(time: CallTime): number {
  if (typeof time === 'bigint') return Number(time / 1_000_000n);
  return typeof time === 'number' ? time : time.getTime();
}
