import type { ModelPriceEntryInput } from './price-schema.js';

const REGIONAL_NOTE =
  'Regional and geographic cross-Region profiles (`us.`, `eu.`, `apac.`…) of Claude 4.5-generation ' +
  'models cost 10% more than the `global.` profile, which bills the Anthropic list price (and so ' +
  'falls through to the anthropic entries).';

/**
 * Amazon Bedrock, on-demand, USD per 1M tokens: only where Bedrock's price differs from the model
 * maker's, or for Bedrock's own models. Other Bedrock-hosted names (older Claude models, Mistral…)
 * fall back to the maker's entries, which Bedrock matches. Reasoning tokens are billed as output.
 * Source: the provider's pricing page (see `model-prices.ts`).
 */
export const BEDROCK_PRICES: ModelPriceEntryInput[] = [
  {
    provider: 'aws.bedrock',
    match: '^claude-sonnet-4[.-]5$',
    endpoint: 'regional',
    valid_from: '2025-09-29',
    input: 3.3,
    output: 16.5,
    cache_read: 0.33,
    cache_write: 4.125,
    reasoning: 16.5,
    examples: ['claude-sonnet-4-5'],
    note: REGIONAL_NOTE,
  },
  {
    provider: 'aws.bedrock',
    match: '^claude-haiku-4[.-]5$',
    endpoint: 'regional',
    valid_from: '2025-10-15',
    input: 1.1,
    output: 5.5,
    cache_read: 0.11,
    cache_write: 1.375,
    reasoning: 5.5,
    examples: ['claude-haiku-4-5'],
    note: REGIONAL_NOTE,
  },
  {
    provider: 'aws.bedrock',
    match: '^claude-opus-4[.-]5$',
    endpoint: 'regional',
    valid_from: '2025-11-24',
    input: 5.5,
    output: 27.5,
    cache_read: 0.55,
    cache_write: 6.875,
    reasoning: 27.5,
    examples: ['claude-opus-4-5'],
    note: REGIONAL_NOTE,
  },
  {
    provider: 'aws.bedrock',
    match: '^nova-micro$',
    valid_from: '2024-12-03',
    input: 0.035,
    output: 0.14,
    cache_read: 0.00875,
    cache_write: 0.035,
    reasoning: 0.14,
    examples: ['nova-micro'],
    note: 'Cache reads at the 75% discount Bedrock gives Nova models; cache writes cost ordinary input.',
  },
  {
    provider: 'aws.bedrock',
    match: '^nova-lite$',
    valid_from: '2024-12-03',
    input: 0.06,
    output: 0.24,
    cache_read: 0.015,
    cache_write: 0.06,
    reasoning: 0.24,
    examples: ['nova-lite'],
    note: 'Cache reads at the 75% discount Bedrock gives Nova models; cache writes cost ordinary input.',
  },
  {
    provider: 'aws.bedrock',
    match: '^nova-pro$',
    valid_from: '2024-12-03',
    input: 0.8,
    output: 3.2,
    cache_read: 0.2,
    cache_write: 0.8,
    reasoning: 3.2,
    examples: ['nova-pro'],
    note: 'Cache writes cost ordinary input.',
  },
];
