import type { ModelPriceEntryInput } from './price-schema.js';

const LONG_CONTEXT_NOTE = 'Requests over 128k tokens cost twice as much; not modelled.';

/**
 * xAI API, USD per 1M tokens. Cached prompt tokens have their own price; writing the cache costs
 * ordinary input (`cache_write` = `input`); reasoning tokens are billed as output.
 * Source: the provider's models and pricing page (see `model-prices.ts`).
 */
export const XAI_PRICES: ModelPriceEntryInput[] = [
  {
    provider: 'x_ai',
    match: '^grok-4(-0709)?$',
    valid_from: '2025-07-09',
    input: 3,
    output: 15,
    cache_read: 0.75,
    cache_write: 3,
    reasoning: 15,
    examples: ['grok-4', 'grok-4-0709'],
    note: LONG_CONTEXT_NOTE,
  },
  {
    provider: 'x_ai',
    match: '^grok-4-fast(-reasoning|-non-reasoning)?$',
    valid_from: '2025-09-19',
    input: 0.2,
    output: 0.5,
    cache_read: 0.05,
    cache_write: 0.2,
    reasoning: 0.5,
    examples: ['grok-4-fast', 'grok-4-fast-reasoning', 'grok-4-fast-non-reasoning'],
    note: LONG_CONTEXT_NOTE,
  },
  {
    provider: 'x_ai',
    match: '^grok-code-fast-1$',
    valid_from: '2025-08-28',
    input: 0.2,
    output: 1.5,
    cache_read: 0.02,
    cache_write: 0.2,
    reasoning: 1.5,
    examples: ['grok-code-fast-1'],
  },
  {
    provider: 'x_ai',
    match: '^grok-3(-beta)?$',
    valid_from: '2025-04-09',
    input: 3,
    output: 15,
    cache_read: 0.75,
    cache_write: 3,
    reasoning: 15,
    examples: ['grok-3', 'grok-3-beta'],
  },
  {
    provider: 'x_ai',
    match: '^grok-3-mini(-beta)?$',
    valid_from: '2025-04-09',
    input: 0.3,
    output: 0.5,
    cache_read: 0.075,
    cache_write: 0.3,
    reasoning: 0.5,
    examples: ['grok-3-mini', 'grok-3-mini-beta'],
  },
];
