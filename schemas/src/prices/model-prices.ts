import { ANTHROPIC_PRICES } from './anthropic.js';
import { BEDROCK_PRICES } from './bedrock.js';
import { DEEPSEEK_PRICES } from './deepseek.js';
import { GOOGLE_PRICES } from './google.js';
import { MISTRAL_PRICES } from './mistral.js';
import { OPENAI_PRICES } from './openai.js';
import { modelPriceTableSchema, type ModelPriceTable } from './price-schema.js';
import { XAI_PRICES } from './xai.js';

/**
 * The built-in model price table (DESIGN.md §3 `model_prices`), USD per 1M tokens, validated with
 * `modelPriceTableSchema` when this module loads (a bad entry fails every test that imports it).
 *
 * Figures are the providers' published standard (pay-as-you-go) prices. A model is listed only
 * where its figures could be confirmed; anything else stays out and is reported as unknown, never
 * priced at zero. Prices that depend on prompt length, audio input, batch or priority tiers, and
 * 1-hour cache writes are not modelled; entries say so in `note` where it matters.
 *
 * Matching rules (applied by the collector's price book): `match` is a regular expression over the
 * normalised model name; the entry of the call's provider beats other providers' entries, a higher
 * `priority` beats a lower one, then a longer `match` beats a shorter one, then the newest
 * `valid_from` not after the call wins. Successive prices of one model therefore keep the same
 * `match` text.
 */
export const MODEL_PRICES: ModelPriceTable = modelPriceTableSchema.parse({
  updated: '2026-11-21',
  currency: 'USD',
  unit: 'per_1m_tokens',
  providers: {
    openai: { source: 'https://developers.openai.com/api/docs/pricing' },
    anthropic: { source: 'https://platform.claude.com/docs/en/about-claude/pricing' },
    'gcp.gemini': { source: 'https://ai.google.dev/gemini-api/docs/pricing' },
    mistral_ai: { source: 'https://mistral.ai/pricing' },
    deepseek: { source: 'https://api-docs.deepseek.com/quick_start/pricing' },
    x_ai: { source: 'https://docs.x.ai/docs/models' },
    'aws.bedrock': { source: 'https://aws.amazon.com/bedrock/pricing/' },
  },
  entries: [
    ...OPENAI_PRICES,
    ...ANTHROPIC_PRICES,
    ...GOOGLE_PRICES,
    ...MISTRAL_PRICES,
    ...DEEPSEEK_PRICES,
    ...XAI_PRICES,
    ...BEDROCK_PRICES,
  ],
});
