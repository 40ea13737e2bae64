import { describe, expect, it } from 'vitest';
import { DATASET_STATEMENTS, MEAN_SPANS_PER_SESSION, datasetParams, sessionsFor } from './query-dataset.js';

const plan = { spans: 1_000_000, seed: 1, tenant: 'default', otherTenant: 'other', nowNs: 1_800_000_000_000_000_000n, version: 1n };

describe('query bench dataset', () => {
  it('binds every parameter its statements use', () => {
    const params = datasetParams(plan);
    for (const { name, sql } of DATASET_STATEMENTS) {
      for (const [, param] of sql.matchAll(/\{(\w+):[^}]+\}/g)) expect(params, `${name} uses {${param}}`).toHaveProperty(param as string);
    }
  });

  it('sizes sessions for the spans asked for', () => {
    expect(sessionsFor(8_500_000)).toBe(1_000_000);
    expect(Number(datasetParams(plan).sessions) * MEAN_SPANS_PER_SESSION).toBeCloseTo(1_000_000, -1);
  });
});
