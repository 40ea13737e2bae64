import type { ModelPriceEntryInput } from './price-schema.js';

const ALIAS_NOTE =
  'The bare name is what `-latest` normalises to; Mistral moves that alias to each new release, ' +
  'so a release after `valid_from` is priced here until the table gains an entry for it.';

/**
 * Mistral AI (La Plateforme), USD per 1M tokens. Mistral publishes no prompt-cache price, so cache
 * reads and writes are priced as input. Mistral's `YYMM` version suffixes (`-2411`) are kept by the
 * normaliser because versions of one name carry different prices.
 * Source: the provider's pricing page (see `model-prices.ts`).
 */
export const MISTRAL_PRICES: ModelPriceEntryInput[] = [
  {
    provider: 'mistral_ai',
    match: '^mistral-large-24(07|11)$',
    valid_from: '2024-07-24',
    input: 2,
    output: 6,
    cache_read: 2,
    cache_write: 2,
    reasoning: 6,
    examples: ['mistral-large-2407', 'mistral-large-2411'],
  },
  {
    provider: 'mistral_ai',
    match: '^mistral-large-2512$',
    valid_from: '2025-12-02',
    input: 0.5,
    output: 1.5,
    cache_read: 0.5,
    cache_write: 0.5,
    reasoning: 1.5,
    examples: ['mistral-large-2512'],
  },
  {
    provider: 'mistral_ai',
    match: '^mistral-large$',
    valid_from: '2024-07-24',
    input: 2,
    output: 6,
    cache_read: 2,
    cache_write: 2,
    reasoning: 6,
    examples: ['mistral-large'],
    note: ALIAS_NOTE,
  },
  {
    provider: 'mistral_ai',
    match: '^mistral-large$',
    valid_from: '2025-12-02',
    input: 0.5,
    output: 1.5,
    cache_read: 0.5,
    cache_write: 0.5,
    reasoning: 1.5,
    examples: ['mistral-large'],
    note: `Mistral Large 3 (2512). ${ALIAS_NOTE}`,
  },
  {
    provider: 'mistral_ai',
    match: '^mistral-medium(-2505|-2508)?$',
    valid_from: '2025-05-07',
    input: 0.4,
    output: 2,
    cache_read: 0.4,
    cache_write: 0.4,
    reasoning: 2,
    examples: ['mistral-medium', 'mistral-medium-2505', 'mistral-medium-2508'],
    note: `Mistral Medium 3 and 3.1. ${ALIAS_NOTE}`,
  },
  {
    provider: 'mistral_ai',
    match: '^mistral-small(-2501|-2503|-2506)?$',
    valid_from: '2025-01-30',
    input: 0.1,
    output: 0.3,
    cache_read: 0.1,
    cache_write: 0.1,
    reasoning: 0.3,
    examples: ['mistral-small', 'mistral-small-2503', 'mistral-small-2506'],
    note: `Mistral Small 3, 3.1 and 3.2. ${ALIAS_NOTE}`,
  },
  {
    provider: 'mistral_ai',
    match: '^codestral(-2501|-2508)?$',
    valid_from: '2025-01-13',
    input: 0.3,
    output: 0.9,
    cache_read: 0.3,
    cache_write: 0.3,
    reasoning: 0.9,
    examples: ['codestral', 'codestral-2501', 'codestral-2508'],
    note: ALIAS_NOTE,
  },
];
