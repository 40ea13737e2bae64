import { describe, expect, it } from 'vitest';
import { MODEL_PRICES } from './model-prices.js';
import { modelPriceTableSchema, type ModelPriceEntry } from './price-schema.js';

const PRICE_FIELDS = ['input', 'output', 'cache_read', 'cache_write', 'reasoning'] as const;

/** Everything that decides which of two matching entries of one provider wins (see model-prices.ts). */
const rankKey = (entry: ModelPriceEntry): string =>
  [entry.endpoint ?? '*', entry.priority ?? 0, entry.match.length, Date.parse(entry.valid_from)].join('|');

describe('the built-in model price table', () => {
  it('validates against its zod schema', () => {
    const reparsed = modelPriceTableSchema.safeParse(MODEL_PRICES);
    expect(reparsed.success ? [] : reparsed.error.issues).toEqual([]);
    expect(MODEL_PRICES.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('cites an https pricing page for every provider it prices', () => {
    const providers = new Set(MODEL_PRICES.entries.map((entry) => entry.provider));
    for (const provider of providers) {
      expect(MODEL_PRICES.providers[provider]?.source, provider).toMatch(/^https:\/\//);
    }
  });

  it('covers OpenAI, Anthropic, Google, Mistral, DeepSeek, xAI and Bedrock', () => {
    const providers = new Set(MODEL_PRICES.entries.map((entry) => entry.provider));
    expect([...providers].sort()).toEqual(
      ['anthropic', 'aws.bedrock', 'deepseek', 'gcp.gemini', 'mistral_ai', 'openai', 'x_ai'].sort(),
    );
  });

  it('has patterns that compile and prices that are finite and non-negative', () => {
    for (const entry of MODEL_PRICES.entries) {
      expect(() => new RegExp(entry.match), entry.match).not.toThrow();
      for (const field of PRICE_FIELDS) {
        expect(Number.isFinite(entry[field]) && entry[field] >= 0, `${entry.match} ${field}`).toBe(true);
      }
    }
  });

  it('matches every example with the entry that lists it', () => {
    for (const entry of MODEL_PRICES.entries) {
      for (const example of entry.examples) {
        expect(new RegExp(entry.match).test(example), `${entry.match} ~ ${example}`).toBe(true);
      }
    }
  });

  it('never lets two entries of one provider match a sample name with equal rank', () => {
    const samples = new Set(MODEL_PRICES.entries.flatMap((entry) => entry.examples));
    const ties: string[] = [];
    for (const sample of samples) {
      const byProvider = new Map<string, ModelPriceEntry[]>();
      for (const entry of MODEL_PRICES.entries) {
        if (!new RegExp(entry.match).test(sample)) continue;
        byProvider.set(entry.provider, [...(byProvider.get(entry.provider) ?? []), entry]);
      }
      for (const [provider, matching] of byProvider) {
        const keys = matching.map(rankKey);
        if (new Set(keys).size !== keys.length) ties.push(`${provider}: ${sample}`);
      }
    }
    expect(ties).toEqual([]);
  });

  it('keeps cache reads no dearer than input and reasoning priced as output', () => {
    for (const entry of MODEL_PRICES.entries) {
      expect(entry.cache_read, entry.match).toBeLessThanOrEqual(entry.input);
      expect(entry.reasoning, entry.match).toBe(entry.output);
    }
  });
});

describe('modelPriceTableSchema', () => {
  const entry = {
    provider: 'openai',
    match: '^gpt-4o$',
    valid_from: '2024-10-02',
    input: 2.5,
    output: 10,
    cache_read: 1.25,
    cache_write: 2.5,
    reasoning: 10,
    examples: ['gpt-4o'],
  };
  const table = (entries: unknown[]) => ({
    updated: '2026-11-21',
    currency: 'USD',
    unit: 'per_1m_tokens',
    providers: { openai: { source: 'https://developers.openai.com/api/docs/pricing' } },
    entries,
  });
  const messages = (value: unknown): string[] => {
    const parsed = modelPriceTableSchema.safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('accepts a well-formed table', () => {
    expect(messages(table([entry]))).toEqual([]);
  });

  it('refuses a negative price', () => {
    expect(messages(table([{ ...entry, output: -1 }]))).toEqual([expect.stringMatching(/^entries\.0\.output: /)]);
  });

  it('refuses a pattern that does not compile', () => {
    expect(messages(table([{ ...entry, match: '^gpt-(4o$' }]))).toEqual([
      'entries.0.match: match must be a valid regular expression',
    ]);
  });

  it('refuses an entry whose provider has no source', () => {
    expect(messages(table([{ ...entry, provider: 'acme' }]))).toEqual([
      'entries.0.provider: provider "acme" of entry ^gpt-4o$ has no source in providers',
    ]);
  });

  it('refuses a price valid after the table was updated, and a malformed date', () => {
    expect(messages(table([{ ...entry, valid_from: '2027-01-01' }]))).toHaveLength(1);
    expect(messages(table([{ ...entry, valid_from: '2025-13-01' }]))).toHaveLength(1);
  });
});
