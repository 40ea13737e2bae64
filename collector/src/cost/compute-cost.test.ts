import { MODEL_PRICES } from '@agentflow/schemas';
import { describe, expect, it } from 'vitest';
import { computeCost, resolveCost, type CostResult, type CostUsage } from './compute-cost.js';
import { createPriceBook } from './price-book.js';

// Figures below are worked by hand from the table (USD per 1M tokens): tokens × price, summed,
// ÷ 1,000,000. `input` includes cache reads and writes; `output` includes reasoning.
const book = createPriceBook(MODEL_PRICES.entries);
const at = (iso: string): Date => new Date(iso);
const usage = (fields: Partial<CostUsage>): CostUsage => ({
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite: 0,
  reasoning: 0,
  ...fields,
});
const computed = (result: CostResult): number => {
  expect(result.source).toBe('computed');
  return result.costUsd ?? Number.NaN;
};

describe('computeCost against hand-computed figures', () => {
  it('OpenAI: a prefixed, dated gpt-4o with cache reads', () => {
    // 6,000 uncached × 2.50 = 15,000; 4,000 cached × 1.25 = 5,000; 2,000 out × 10 = 20,000
    // → 40,000 / 1e6 = $0.04
    const result = computeCost(
      usage({ input: 10_000, cacheRead: 4_000, output: 2_000 }),
      'openai/gpt-4o-2024-08-06',
      'openai',
      at('2025-06-01'),
      book,
    );
    expect(computed(result)).toBeCloseTo(0.04, 12);
  });

  it('OpenAI: o3 reasoning tokens, priced before and after the 2025-06-10 cut', () => {
    const tokens = usage({ input: 100_000, cacheRead: 20_000, output: 30_000, reasoning: 25_000 });
    // Launch: 80,000 × 10 = 800,000; 20,000 × 2.50 = 50,000; 5,000 visible × 40 = 200,000;
    // 25,000 reasoning × 40 = 1,000,000 → 2,050,000 / 1e6 = $2.05
    expect(computed(computeCost(tokens, 'o3-2025-04-16', 'openai', at('2025-05-01'), book))).toBeCloseTo(2.05, 12);
    // After: 80,000 × 2 = 160,000; 20,000 × 0.50 = 10,000; 5,000 × 8 = 40,000; 25,000 × 8 = 200,000
    // → 410,000 / 1e6 = $0.41
    expect(computed(computeCost(tokens, 'o3-2025-04-16', 'openai', at('2025-07-01'), book))).toBeCloseTo(0.41, 12);
  });

  const claudeTokens = usage({ input: 50_000, cacheRead: 30_000, cacheWrite: 10_000, output: 4_000, reasoning: 1_500 });

  it('Anthropic: Sonnet 4.5 with cache reads, cache writes and thinking', () => {
    // 10,000 uncached × 3 = 30,000; 30,000 read × 0.30 = 9,000; 10,000 written × 3.75 = 37,500;
    // 2,500 visible × 15 = 37,500; 1,500 thinking × 15 = 22,500 → 136,500 / 1e6 = $0.1365
    const result = computeCost(claudeTokens, 'claude-sonnet-4-5-20250929', 'anthropic', at('2025-10-01'), book);
    expect(computed(result)).toBeCloseTo(0.1365, 12);
  });

  it('Bedrock: a geographic profile id costs 10% more than Anthropic; the global profile does not', () => {
    // 10,000 × 3.30 = 33,000; 30,000 × 0.33 = 9,900; 10,000 × 4.125 = 41,250; 2,500 × 16.50 = 41,250;
    // 1,500 × 16.50 = 24,750 → 150,150 / 1e6 = $0.15015
    const regional = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
    expect(computed(computeCost(claudeTokens, regional, 'aws.bedrock', at('2025-10-01'), book))).toBeCloseTo(0.15015, 12);
    // The id says Bedrock even when the span names the maker as provider.
    expect(computed(computeCost(claudeTokens, regional, 'anthropic', at('2025-10-01'), book))).toBeCloseTo(0.15015, 12);
    // global. → Anthropic list price, as above: $0.1365
    const global = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
    expect(computed(computeCost(claudeTokens, global, 'aws.bedrock', at('2025-10-01'), book))).toBeCloseTo(0.1365, 12);
  });

  it("Bedrock: an older Claude falls back to Anthropic's price; Nova has Bedrock's own", () => {
    // 10,000 uncached × 0.80 = 8,000; 5,000 read × 0.08 = 400; 5,000 written × 1.00 = 5,000;
    // 1,000 out × 4 = 4,000 → 17,400 / 1e6 = $0.0174
    const haiku = usage({ input: 20_000, cacheRead: 5_000, cacheWrite: 5_000, output: 1_000 });
    const id = 'anthropic.claude-3-5-haiku-20241022-v1:0';
    expect(computed(computeCost(haiku, id, 'aws.bedrock', at('2025-06-01'), book))).toBeCloseTo(0.0174, 12);
    // 8,000 × 0.80 = 6,400; 2,000 read × 0.20 = 400; 1,000 out × 3.20 = 3,200 → 10,000 / 1e6 = $0.01
    const nova = usage({ input: 10_000, cacheRead: 2_000, output: 1_000 });
    expect(computed(computeCost(nova, 'us.amazon.nova-pro-v1:0', 'aws.bedrock', at('2025-06-01'), book))).toBeCloseTo(0.01, 12);
  });

  it('Vertex: Claude at the global-endpoint (list) price, Gemini at the Gemini API price', () => {
    // Same tokens and prices as the Anthropic case: $0.1365
    const claude = computeCost(claudeTokens, 'claude-sonnet-4-5@20250929', 'gcp.vertex_ai', at('2025-10-01'), book);
    expect(computed(claude)).toBeCloseTo(0.1365, 12);
    // 10,000 × 0.30 = 3,000; 1,000 visible × 2.50 = 2,500; 2,000 thinking × 2.50 = 5,000 → 10,500 / 1e6 = $0.0105
    const gemini = computeCost(
      usage({ input: 10_000, output: 3_000, reasoning: 2_000 }),
      'publishers/google/models/gemini-2.5-flash',
      'vertex_ai',
      at('2025-10-01'),
      book,
    );
    expect(computed(gemini)).toBeCloseTo(0.0105, 12);
  });

  it('Google: Gemini 2.5 Pro with context-cache reads and thinking', () => {
    // 20,000 uncached × 1.25 = 25,000; 100,000 cached × 0.125 = 12,500; 2,000 visible × 10 = 20,000;
    // 4,000 thinking × 10 = 40,000 → 97,500 / 1e6 = $0.0975
    const tokens = usage({ input: 120_000, cacheRead: 100_000, output: 6_000, reasoning: 4_000 });
    expect(computed(computeCost(tokens, 'models/gemini-2.5-pro', 'gcp.gemini', at('2025-10-01'), book))).toBeCloseTo(0.0975, 12);
  });

  it('Mistral: mistral-large-latest before and after the alias moved to Large 3', () => {
    const tokens = usage({ input: 10_000, output: 2_000 });
    // 10,000 × 2 = 20,000; 2,000 × 6 = 12,000 → 32,000 / 1e6 = $0.032
    expect(computed(computeCost(tokens, 'mistral-large-latest', 'mistral_ai', at('2025-06-01'), book))).toBeCloseTo(0.032, 12);
    // 10,000 × 0.50 = 5,000; 2,000 × 1.50 = 3,000 → 8,000 / 1e6 = $0.008
    expect(computed(computeCost(tokens, 'mistral-large-latest', 'mistral_ai', at('2026-01-15'), book))).toBeCloseTo(0.008, 12);
    // A pinned version keeps its own price: 10,000 × 0.30 + 2,000 × 0.90 = 4,800 → $0.0048
    const codestral = computeCost(tokens, 'mistral/codestral-2508', 'mistral.chat', at('2026-01-15'), book);
    expect(computed(codestral)).toBeCloseTo(0.0048, 12);
  });

  it('DeepSeek: deepseek-reasoner as R1 and as V3.2', () => {
    const tokens = usage({ input: 100_000, cacheRead: 60_000, output: 8_000, reasoning: 6_000 });
    // R1: 40,000 miss × 0.55 = 22,000; 60,000 hit × 0.14 = 8,400; 2,000 × 2.19 = 4,380;
    // 6,000 × 2.19 = 13,140 → 47,920 / 1e6 = $0.04792
    expect(computed(computeCost(tokens, 'deepseek-reasoner', 'deepseek', at('2025-03-01'), book))).toBeCloseTo(0.04792, 12);
    // V3.2: 40,000 × 0.28 = 11,200; 60,000 × 0.028 = 1,680; 2,000 × 0.42 = 840; 6,000 × 0.42 = 2,520
    // → 16,240 / 1e6 = $0.01624
    expect(computed(computeCost(tokens, 'deepseek-reasoner', 'deepseek', at('2025-10-15'), book))).toBeCloseTo(0.01624, 12);
  });

  it('DeepSeek: the cache-hit cut takes effect at 2026-04-26 12:15 UTC', () => {
    const tokens = usage({ input: 1_000_000, cacheRead: 1_000_000 });
    // 1,000,000 hits × 0.028 = $0.028, then × 0.0028 = $0.0028
    expect(computed(computeCost(tokens, 'deepseek-chat', 'deepseek', at('2026-04-26T12:14:59Z'), book))).toBeCloseTo(0.028, 12);
    expect(computed(computeCost(tokens, 'deepseek-chat', 'deepseek', at('2026-04-26T12:15:00Z'), book))).toBeCloseTo(0.0028, 12);
  });

  it('xAI: grok-4 with cached input and reasoning', () => {
    // 2,000 uncached × 3 = 6,000; 8,000 cached × 0.75 = 6,000; 500 visible × 15 = 7,500;
    // 2,500 reasoning × 15 = 37,500 → 57,000 / 1e6 = $0.057
    const tokens = usage({ input: 10_000, cacheRead: 8_000, output: 3_000, reasoning: 2_500 });
    expect(computed(computeCost(tokens, 'xai/grok-4-0709', 'xai', at('2025-10-01'), book))).toBeCloseTo(0.057, 12);
  });
});

describe('computeCost edge cases', () => {
  const tokens = usage({ input: 10_000, cacheRead: 4_000, output: 2_000 });

  it('reports an unknown model with its normalised name, never zero', () => {
    expect(computeCost(tokens, 'groq/Llama-3.3-70B-Versatile', 'groq', at('2025-10-01'), book)).toEqual({
      costUsd: null,
      source: 'unknown',
      model: 'llama-3.3-70b-versatile',
      provider: 'groq',
    });
    expect(computeCost(tokens, '', 'openai', at('2025-10-01'), book)).toMatchObject({ costUsd: null, source: 'unknown' });
  });

  it('reports a known model called before its first price as unknown', () => {
    const early = computeCost(tokens, 'gpt-5', 'openai', at('2025-08-06T23:59:59Z'), book);
    expect(early).toMatchObject({ source: 'unknown', model: 'gpt-5' });
  });

  it("applies a tenant's override from a price book built with overrides", () => {
    const withOverride = createPriceBook(MODEL_PRICES.entries, [
      {
        tenant: 'acme',
        provider: 'openai',
        match: '^gpt-4o$',
        valid_from: '1970-01-01',
        input: 2,
        output: 8,
        cache_read: 1,
        cache_write: 2,
        reasoning: 8,
      },
    ]);
    // acme: 6,000 × 2 = 12,000; 4,000 × 1 = 4,000; 2,000 × 8 = 16,000 → 32,000 / 1e6 = $0.032
    expect(computed(computeCost(tokens, 'gpt-4o', 'openai', at('2025-10-01'), withOverride, 'acme'))).toBeCloseTo(0.032, 12);
    // Anyone else: the table's $0.04 (see the first case)
    expect(computed(computeCost(tokens, 'gpt-4o', 'openai', at('2025-10-01'), withOverride, 'other'))).toBeCloseTo(0.04, 12);
  });

  it('accepts the call time as a Date, ms or ns since the epoch', () => {
    const ms = Date.parse('2025-07-01T00:00:00Z');
    const results = [new Date(ms), ms, BigInt(ms) * 1_000_000n].map((time) => computeCost(tokens, 'o3', 'openai', time, book));
    // 6,000 × 2 + 4,000 × 0.50 + 2,000 × 8 = 30,000 → $0.03, whichever form the time takes
    for (const result of results) expect(computed(result)).toBeCloseTo(0.03, 12);
  });

  it('clamps inconsistent counts at zero rather than pricing negative tokens', () => {
    // More cached than input: uncached 0; 500 read × 1.25 = 625 → $0.000625
    const odd = usage({ input: 100, cacheRead: 500, output: -5, reasoning: Number.NaN });
    expect(computed(computeCost(odd, 'gpt-4o', 'openai', at('2025-10-01'), book))).toBeCloseTo(0.000625, 12);
  });
});

describe('resolveCost', () => {
  const tokens = usage({ input: 10_000, cacheRead: 4_000, output: 2_000 });
  const now = at('2025-10-01');

  it('keeps a provided cost over the computed one, and marks it provided', () => {
    expect(resolveCost(0.5, tokens, 'gpt-4o', 'openai', now, book)).toEqual({ costUsd: 0.5, source: 'provided' });
    expect(resolveCost(0, tokens, 'gpt-4o', 'openai', now, book)).toEqual({ costUsd: 0, source: 'provided' });
    expect(resolveCost(0.2, tokens, 'some-private-model', 'acme', now, book)).toEqual({ costUsd: 0.2, source: 'provided' });
  });

  it('computes when no usable cost was provided', () => {
    expect(computed(resolveCost(null, tokens, 'gpt-4o', 'openai', now, book))).toBeCloseTo(0.04, 12);
    expect(computed(resolveCost(Number.NaN, tokens, 'gpt-4o', 'openai', now, book))).toBeCloseTo(0.04, 12);
    expect(computed(resolveCost(-1, tokens, 'gpt-4o', 'openai', now, book))).toBeCloseTo(0.04, 12);
    const unknown = resolveCost(null, tokens, 'some-private-model', 'acme', now, book);
    expect(unknown).toMatchObject({ costUsd: null, source: 'unknown' });
  });
});
