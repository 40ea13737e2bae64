import { describe, expect, it } from 'vitest';
import { buildAgentTrace, createRandom } from './synthetic-agents.js';

describe('buildAgentTrace', () => {
  const random = createRandom(3);
  const runs = Array.from({ length: 50 }, (_, runIndex) => buildAgentTrace({ random, startMs: 1_700_000_000_000, runIndex }));

  it('gives every span 15–25 attributes and one event', () => {
    for (const span of runs.flat()) {
      const count = Object.keys(span.attributes).length;
      expect(count).toBeGreaterThanOrEqual(15);
      expect(count).toBeLessThanOrEqual(25);
      expect(span.event.name).not.toBe('');
    }
  });

  it('has one root and nests each child inside its parent', () => {
    for (const run of runs) {
      expect(run.filter((span) => span.parentIndex === undefined)).toHaveLength(1);
      for (const span of run) {
        if (span.parentIndex === undefined) continue;
        const parent = run[span.parentIndex]!;
        expect(span.startMs).toBeGreaterThanOrEqual(parent.startMs);
        expect(span.endMs).toBeLessThanOrEqual(parent.endMs);
      }
    }
  });
});
