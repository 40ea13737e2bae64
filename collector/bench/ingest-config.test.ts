import { describe, expect, it } from 'vitest';
import { parseIngestBenchConfig } from './ingest-config.js';

describe('parseIngestBenchConfig', () => {
  it('defaults to 30 s over 8 connections', () => {
    const parsed = parseIngestBenchConfig({});
    expect(parsed.ok && parsed.config).toMatchObject({ durationS: 30, connections: 8, batchSize: 512, warmupS: 5 });
  });

  it('reads BENCH_DURATION_S and BENCH_CONNECTIONS', () => {
    const parsed = parseIngestBenchConfig({ BENCH_DURATION_S: '20', BENCH_CONNECTIONS: '4' });
    expect(parsed.ok && parsed.config).toMatchObject({ durationS: 20, connections: 4 });
  });

  it('names the variable that is out of range', () => {
    const parsed = parseIngestBenchConfig({ BENCH_CONNECTIONS: '2.5' });
    expect(parsed).toEqual({ ok: false, error: expect.stringContaining('BENCH_CONNECTIONS') });
  });
});
