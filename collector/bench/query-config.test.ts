import { describe, expect, it } from 'vitest';
import { parseQueryBenchConfig } from './query-config.js';

describe('parseQueryBenchConfig', () => {
  it('defaults to 1M and 10M spans, 100 list/detail and 30 analytics requests', () => {
    const parsed = parseQueryBenchConfig({});
    expect(parsed.ok && parsed.config).toMatchObject({ sizes: [1_000_000, 10_000_000], requests: 100, analyticsRequests: 30, explain: true });
  });

  it('reads sizes written with exponents or underscores', () => {
    const parsed = parseQueryBenchConfig({ BENCH_QUERY_SIZES: '1e5, 2_000_000', BENCH_QUERY_EXPLAIN: '0' });
    expect(parsed.ok && parsed.config).toMatchObject({ sizes: [100_000, 2_000_000], explain: false });
  });

  it('names the variable that is out of range', () => {
    expect(parseQueryBenchConfig({ BENCH_QUERY_SIZES: '10' })).toEqual({ ok: false, error: expect.stringContaining('BENCH_QUERY_SIZES') });
    expect(parseQueryBenchConfig({ BENCH_QUERY_REQUESTS: '0' })).toEqual({ ok: false, error: expect.stringContaining('BENCH_QUERY_REQUESTS') });
  });
});
