import { describe, expect, it } from 'vitest';
import { indexSummary } from './query-report.js';

// The shape `EXPLAIN indexes = 1` prints (ClickHouse 26.x), trimmed.
const PLAN = `Expression
  ReadFromMergeTree (agentflow.agent_sessions_data)
  │  FINAL: 1
  │  Indexes:
  │    Partition
  │      Condition: true
  │      Parts: 3/3
  │      Granules: 145/145
  │    PrimaryKey
  │      Keys:
  │        tenant_id
  │      Parts: 3/3
  │      Granules: 132/145
  │    Skip
  │      Name: idx_trace_id
  │      Description: bloom_filter GRANULARITY 1
  │      Parts: 3/3
  │      Granules: 4/132`;

describe('indexSummary', () => {
  it('lists the table read, FINAL and the granules each index kept', () => {
    expect(indexSummary(PLAN)).toEqual(['agentflow.agent_sessions_data, FINAL, Partition 145/145, PrimaryKey 132/145, Skip idx_trace_id 4/132']);
  });

  it('is empty for a plan that reads no MergeTree table', () => {
    expect(indexSummary('Expression\n  ReadFromStorage (SystemNumbers)')).toEqual([]);
  });
});
