import { describe, expect, it } from 'vitest';
import { normaliseUsage, providerInputCounting } from './token-usage.js';

const none = { input: null, output: null, cacheRead: null, cacheWrite: null, reasoning: null };

describe('normaliseUsage', () => {
  it('returns null when nothing was reported (unknown is not zero)', () => {
    expect(normaliseUsage(none, 'inclusive')).toBeNull();
  });

  it('keeps an inclusive input count as reported (OpenAI prompt_tokens include cached)', () => {
    expect(normaliseUsage({ ...none, input: 610, output: 22, cacheRead: 256 }, 'inclusive')).toEqual({
      input: 610, output: 22, cacheRead: 256, cacheWrite: 0, reasoning: 0,
    });
  });

  it('adds cache reads and writes to an exclusive input count (Anthropic input_tokens)', () => {
    expect(normaliseUsage({ ...none, input: 12, output: 300, cacheRead: 2000, cacheWrite: 500 }, 'exclusive')).toEqual({
      input: 2512, output: 300, cacheRead: 2000, cacheWrite: 500, reasoning: 0,
    });
  });

  it('adds the cache when an "inclusive" count is smaller than its own cached part', () => {
    expect(normaliseUsage({ ...none, input: 5, cacheRead: 100 }, 'inclusive')?.input).toBe(105);
  });

  it('keeps reasoning inside output, adding it only when output is smaller (Gemini thoughts apart)', () => {
    expect(normaliseUsage({ ...none, output: 500, reasoning: 320 }, 'inclusive')?.output).toBe(500);
    expect(normaliseUsage({ ...none, output: 40, reasoning: 320 }, 'inclusive')?.output).toBe(360);
  });

  it('fills missing counts with 0 once anything was reported', () => {
    expect(normaliseUsage({ ...none, output: 7 }, 'inclusive')).toEqual({ input: 0, output: 7, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
  });
});

describe('providerInputCounting', () => {
  it('knows which providers report input tokens without the cache', () => {
    expect(providerInputCounting('anthropic')).toBe('exclusive');
    expect(providerInputCounting('aws.bedrock')).toBe('exclusive');
    expect(providerInputCounting('openai')).toBe('inclusive');
    expect(providerInputCounting('')).toBe('inclusive');
  });
});
