import type { ModelPriceEntryInput } from './price-schema.js';

/**
 * DeepSeek API, USD per 1M tokens. `input` is the cache-miss price, `cache_read` the cache-hit
 * price; DeepSeek charges nothing extra to fill its disk cache, so `cache_write` equals `input`.
 * Reasoning (chain-of-thought) tokens are billed as output. `deepseek-chat` and
 * `deepseek-reasoner` are aliases whose model (and price) changed over time; DeepSeek announced each
 * change in its API news. The 2025 off-peak discounts are not modelled.
 * Source: the provider's pricing page (see `model-prices.ts`).
 */
export const DEEPSEEK_PRICES: ModelPriceEntryInput[] = [
  {
    provider: 'deepseek',
    match: '^deepseek-chat$',
    valid_from: '2025-02-08T16:00:00Z',
    input: 0.27,
    output: 1.1,
    cache_read: 0.07,
    cache_write: 0.27,
    reasoning: 1.1,
    examples: ['deepseek-chat'],
    note: 'DeepSeek-V3, after its launch promotion ended.',
  },
  {
    provider: 'deepseek',
    match: '^deepseek-reasoner$',
    valid_from: '2025-01-20',
    input: 0.55,
    output: 2.19,
    cache_read: 0.14,
    cache_write: 0.55,
    reasoning: 2.19,
    examples: ['deepseek-reasoner'],
    note: 'DeepSeek-R1.',
  },
  // From V3.1 on both aliases share one price, so later entries reuse one pattern: successive
  // prices of one model keep the same `match` text, and the newest valid_from wins among them.
  {
    provider: 'deepseek',
    match: '^deepseek-(chat|reasoner)$',
    valid_from: '2025-09-05T16:00:00Z',
    input: 0.56,
    output: 1.68,
    cache_read: 0.07,
    cache_write: 0.56,
    reasoning: 1.68,
    examples: ['deepseek-chat', 'deepseek-reasoner'],
    note: 'DeepSeek-V3.1.',
  },
  {
    provider: 'deepseek',
    match: '^deepseek-(chat|reasoner)$',
    valid_from: '2025-09-29',
    input: 0.28,
    output: 0.42,
    cache_read: 0.028,
    cache_write: 0.28,
    reasoning: 0.42,
    examples: ['deepseek-chat', 'deepseek-reasoner'],
    note: 'DeepSeek-V3.2.',
  },
  {
    provider: 'deepseek',
    match: '^deepseek-(chat|reasoner)$',
    valid_from: '2026-04-24',
    input: 0.14,
    output: 0.28,
    cache_read: 0.028,
    cache_write: 0.14,
    reasoning: 0.28,
    examples: ['deepseek-chat', 'deepseek-reasoner'],
    note: 'The aliases map to DeepSeek-V4-Flash (non-thinking / thinking) until their retirement on 2026-07-24.',
  },
  {
    provider: 'deepseek',
    match: '^deepseek-(chat|reasoner)$',
    valid_from: '2026-04-26T12:15:00Z',
    input: 0.14,
    output: 0.28,
    cache_read: 0.0028,
    cache_write: 0.14,
    reasoning: 0.28,
    examples: ['deepseek-chat', 'deepseek-reasoner'],
    note: 'Cache-hit prices cut to a tenth of the launch price.',
  },
  {
    provider: 'deepseek',
    match: '^deepseek-v4-flash$',
    valid_from: '2026-04-24',
    input: 0.14,
    output: 0.28,
    cache_read: 0.028,
    cache_write: 0.14,
    reasoning: 0.28,
    examples: ['deepseek-v4-flash'],
  },
  {
    provider: 'deepseek',
    match: '^deepseek-v4-flash$',
    valid_from: '2026-04-26T12:15:00Z',
    input: 0.14,
    output: 0.28,
    cache_read: 0.0028,
    cache_write: 0.14,
    reasoning: 0.28,
    examples: ['deepseek-v4-flash'],
  },
];
