import type { ModelPriceEntryInput } from './price-schema.js';

/**
 * Google Gemini API, paid tier, text/image/video input, prompts up to 200k tokens, USD per 1M
 * tokens. Thinking tokens are billed as output. Writing a context cache is billed as ordinary input
 * (`cache_write` = `input`); the hourly storage fee of explicit caches is not a per-call cost and is
 * not modelled. Source: the provider's pricing page (see `model-prices.ts`).
 */
export const GOOGLE_PRICES: ModelPriceEntryInput[] = [
  {
    provider: 'gcp.gemini',
    match: '^gemini-2\\.5-pro$',
    valid_from: '2025-06-17',
    input: 1.25,
    output: 10,
    cache_read: 0.125,
    cache_write: 1.25,
    reasoning: 10,
    examples: ['gemini-2.5-pro'],
    note:
      'Prompts over 200k tokens cost $2.50 input / $15 output; not modelled. Cache reads carry the current ' +
      '90% discount; at launch the discount was 75%, until a date this table does not record.',
  },
  {
    provider: 'gcp.gemini',
    match: '^gemini-2\\.5-flash$',
    valid_from: '2025-06-17',
    input: 0.3,
    output: 2.5,
    cache_read: 0.03,
    cache_write: 0.3,
    reasoning: 2.5,
    examples: ['gemini-2.5-flash'],
    note:
      'Audio input costs $1.00; not modelled. Cache reads carry the current 90% discount; at launch the ' +
      'discount was 75%, until a date this table does not record.',
  },
  {
    provider: 'gcp.gemini',
    match: '^gemini-2\\.5-flash-lite$',
    valid_from: '2025-07-22',
    input: 0.1,
    output: 0.4,
    cache_read: 0.01,
    cache_write: 0.1,
    reasoning: 0.4,
    examples: ['gemini-2.5-flash-lite'],
    note: 'Cache reads carry the current 90% discount; at launch the discount was 75%.',
  },
  {
    provider: 'gcp.gemini',
    match: '^gemini-2\\.0-flash(-001)?$',
    valid_from: '2025-02-05',
    input: 0.1,
    output: 0.4,
    cache_read: 0.025,
    cache_write: 0.1,
    reasoning: 0.4,
    examples: ['gemini-2.0-flash', 'gemini-2.0-flash-001'],
  },
  {
    provider: 'gcp.gemini',
    match: '^gemini-2\\.0-flash-lite(-001)?$',
    valid_from: '2025-02-25',
    input: 0.075,
    output: 0.3,
    cache_read: 0.075,
    cache_write: 0.075,
    reasoning: 0.3,
    examples: ['gemini-2.0-flash-lite', 'gemini-2.0-flash-lite-001'],
    note: 'Context caching is not offered for this model, so cache reads are priced as input.',
  },
];
