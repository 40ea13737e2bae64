import { MODEL_PRICES, type ModelPriceEntry } from '@agentflow/schemas';
import { describe, expect, it } from 'vitest';
import { createPriceBook, type PriceOverrideEntry, type PriceQuery } from './price-book.js';

const entry = (fields: Partial<ModelPriceEntry> & Pick<ModelPriceEntry, 'provider' | 'match'>): ModelPriceEntry => ({
  valid_from: '2025-01-01',
  input: 1,
  output: 2,
  cache_read: 0.5,
  cache_write: 1,
  reasoning: 2,
  examples: ['x'],
  ...fields,
});

const override = (fields: Partial<PriceOverrideEntry> & Pick<PriceOverrideEntry, 'tenant' | 'match'>): PriceOverrideEntry => ({
  provider: '*',
  valid_from: '1970-01-01',
  input: 9,
  output: 9,
  cache_read: 9,
  cache_write: 9,
  reasoning: 9,
  ...fields,
});

const query = (model: string, fields: Partial<PriceQuery> = {}): PriceQuery => ({
  model,
  provider: 'openai',
  endpoint: null,
  atMs: Date.parse('2026-01-01'),
  ...fields,
});

describe('createPriceBook', () => {
  it('prefers the longer (more specific) pattern', () => {
    const book = createPriceBook([
      entry({ provider: 'openai', match: '^gpt-4', input: 1 }),
      entry({ provider: 'openai', match: '^gpt-4o-mini$', input: 2 }),
    ]);
    expect(book.lookup(query('gpt-4o-mini'))?.input).toBe(2);
    expect(book.lookup(query('gpt-4.1'))?.input).toBe(1);
  });

  it('lets an explicit priority beat a longer pattern', () => {
    const book = createPriceBook([
      entry({ provider: 'openai', match: '^gpt-4', input: 1, priority: 1 }),
      entry({ provider: 'openai', match: '^gpt-4o-mini$', input: 2 }),
    ]);
    expect(book.lookup(query('gpt-4o-mini'))?.input).toBe(1);
  });

  it('takes the newest price in force at the call, and none before the first valid_from', () => {
    const book = createPriceBook([
      entry({ provider: 'openai', match: '^o3$', valid_from: '2025-04-16', input: 10 }),
      entry({ provider: 'openai', match: '^o3$', valid_from: '2025-06-10', input: 2 }),
    ]);
    expect(book.lookup(query('o3', { atMs: Date.parse('2025-04-15T23:59:59Z') }))).toBeNull();
    expect(book.lookup(query('o3', { atMs: Date.parse('2025-04-16T00:00:00Z') }))?.input).toBe(10);
    expect(book.lookup(query('o3', { atMs: Date.parse('2025-06-09T23:59:59.999Z') }))?.input).toBe(10);
    expect(book.lookup(query('o3', { atMs: Date.parse('2025-06-10T00:00:00Z') }))?.input).toBe(2);
  });

  it("prefers the call's provider and falls back to another provider's entry", () => {
    const book = createPriceBook([
      entry({ provider: 'anthropic', match: '^claude-x$', input: 3 }),
      entry({ provider: 'aws.bedrock', match: '^claude-x$', input: 3.3 }),
    ]);
    expect(book.lookup(query('claude-x', { provider: 'aws.bedrock' }))?.input).toBe(3.3);
    expect(book.lookup(query('claude-x', { provider: 'anthropic' }))?.input).toBe(3);
    expect(book.lookup(query('claude-x', { provider: 'gcp.vertex_ai' }))?.provider).toBe('anthropic');
  });

  it('applies an endpoint-specific entry only to calls on that endpoint', () => {
    const book = createPriceBook([
      entry({ provider: 'anthropic', match: '^claude-x$', input: 3 }),
      entry({ provider: 'aws.bedrock', match: '^claude-x$', endpoint: 'regional', input: 3.3 }),
    ]);
    const bedrock = { provider: 'aws.bedrock' } as const;
    expect(book.lookup(query('claude-x', { ...bedrock, endpoint: 'regional' }))?.input).toBe(3.3);
    expect(book.lookup(query('claude-x', { ...bedrock, endpoint: 'global' }))?.input).toBe(3);
    expect(book.lookup(query('claude-x', { provider: '', endpoint: null }))?.input).toBe(3);
  });

  it("puts a tenant's override before an every-tenant override before the table, for that tenant only", () => {
    const book = createPriceBook(
      [entry({ provider: 'openai', match: '^gpt-4o$', input: 2.5 })],
      [override({ tenant: '*', match: '^gpt-4o$', input: 2.2 }), override({ tenant: 'acme', match: '^gpt-4o$', input: 2 })],
    );
    expect(book.lookup(query('gpt-4o', { tenantId: 'acme' }))).toMatchObject({ input: 2, origin: 'acme' });
    expect(book.lookup(query('gpt-4o', { tenantId: 'other' }))).toMatchObject({ input: 2.2, origin: '*' });
    expect(book.lookup(query('gpt-4o'))).toMatchObject({ input: 2.2, origin: '*' });
  });

  it('prices a model only an override knows', () => {
    const book = createPriceBook([], [override({ tenant: 'acme', match: '^llama-3\\.3-70b$', input: 0.59 })]);
    expect(book.lookup(query('llama-3.3-70b', { provider: 'groq', tenantId: 'acme' }))?.input).toBe(0.59);
    expect(book.lookup(query('llama-3.3-70b', { provider: 'groq', tenantId: 'other' }))).toBeNull();
  });

  it('keeps a Bedrock table price ahead of an override written for the maker', () => {
    const book = createPriceBook(
      [entry({ provider: 'aws.bedrock', match: '^claude-x$', input: 3.3 })],
      [override({ tenant: 'acme', provider: 'anthropic', match: '^claude-x$', input: 2.7 })],
    );
    expect(book.lookup(query('claude-x', { provider: 'aws.bedrock', tenantId: 'acme' }))?.input).toBe(3.3);
    expect(book.lookup(query('claude-x', { provider: 'anthropic', tenantId: 'acme' }))?.input).toBe(2.7);
  });

  it('knows nothing of an empty model name, nor of one too long to be a model', () => {
    const book = createPriceBook([entry({ provider: 'openai', match: '.*' })]);
    expect(book.lookup(query(''))).toBeNull();
    expect(book.lookup(query('x'.repeat(257)))).toBeNull();
    expect(book.lookup(query('x'.repeat(256)))).not.toBeNull();
  });
});

describe('the built-in table in a price book', () => {
  const book = createPriceBook(MODEL_PRICES.entries);

  it('resolves every example of every entry to that entry, from its valid_from', () => {
    const wrong: string[] = [];
    for (const expected of MODEL_PRICES.entries) {
      for (const example of expected.examples) {
        const found = book.lookup({
          model: example,
          provider: expected.provider,
          endpoint: expected.endpoint ?? null,
          atMs: Date.parse(expected.valid_from),
        });
        if (found?.match !== expected.match || found.validFromMs !== Date.parse(expected.valid_from)) {
          wrong.push(`${expected.provider} ${example} @ ${expected.valid_from} → ${found?.match ?? 'none'}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
