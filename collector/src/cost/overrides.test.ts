import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPriceOverrides, parsePriceOverrides, PriceOverrideError } from './overrides.js';

describe('loadPriceOverrides', () => {
  let dir = '';
  const file = async (name: string, text: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentflow-prices-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads entries and fills the optional fields', async () => {
    const path = await file(
      'ok.json',
      JSON.stringify({
        overrides: [
          { tenant: 'acme', provider: 'openai', match: '^gpt-4o$', input: 2, output: 8, cache_read: 1 },
          { match: '^llama-3\\.3-70b', valid_from: '2025-01-01', input: 0.59, output: 0.79, note: 'groq list price' },
        ],
      }),
    );
    expect(await loadPriceOverrides(path)).toEqual([
      {
        tenant: 'acme',
        provider: 'openai',
        match: '^gpt-4o$',
        endpoint: undefined,
        priority: undefined,
        valid_from: '1970-01-01',
        input: 2,
        output: 8,
        cache_read: 1,
        cache_write: 2,
        reasoning: 8,
      },
      {
        tenant: '*',
        provider: '*',
        match: '^llama-3\\.3-70b',
        endpoint: undefined,
        priority: undefined,
        valid_from: '2025-01-01',
        input: 0.59,
        output: 0.79,
        cache_read: 0.59,
        cache_write: 0.59,
        reasoning: 0.79,
      },
    ]);
  });

  it('names the file, the entry and the broken rule', async () => {
    const path = await file(
      'bad.json',
      JSON.stringify({
        overrides: [
          { match: '^gpt-4o$', input: 2, output: 8 },
          { match: '^claude-(sonnet$', input: 3, output: 15 },
          { match: '^o3$', input: -1, output: 8, cache_reads: 0.5 },
        ],
      }),
    );
    const error = await loadPriceOverrides(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PriceOverrideError);
    const message = (error as PriceOverrideError).message;
    expect(message).toContain(path);
    expect(message).toContain('overrides[1] (match "^claude-(sonnet$") match: match must be a valid regular expression');
    expect(message).toContain('overrides[2] (match "^o3$") input:');
    expect(message).toMatch(/overrides\[2\] \(match "\^o3\$"\): Unrecognized key: "cache_reads"/);
    expect(message).not.toContain('overrides[0]');
  });

  it('refuses a file that is not JSON, or not there', async () => {
    const path = await file('broken.json', '{ "overrides": [');
    await expect(loadPriceOverrides(path)).rejects.toThrow(`price overrides ${path} are not valid JSON`);
    await expect(loadPriceOverrides(join(dir, 'missing.json'))).rejects.toThrow(PriceOverrideError);
  });
});

describe('parsePriceOverrides', () => {
  it('names a missing top-level list', () => {
    expect(parsePriceOverrides({ entries: [] }, 'prices.json')).toEqual({
      ok: false,
      error: expect.stringMatching(/^price overrides prices\.json are invalid: .*overrides/),
    });
  });

  it('accepts an empty list', () => {
    expect(parsePriceOverrides({ overrides: [] }, 'prices.json')).toEqual({ ok: true, overrides: [] });
  });
});
