import { describe, expect, it } from 'vitest';
import { byStart } from './session-tree.js';
import { canonicalSpan as span } from './test-spans.js';

/** Whole-millisecond start plus a sub-millisecond duration, as the JS SDK stamps span times. */
const at = (startMs: number, durationUs: number) => ({
  startTimeUnixNano: BigInt(startMs) * 1_000_000n,
  endTimeUnixNano: BigInt(startMs) * 1_000_000n + BigInt(durationUs) * 1_000n,
});

const order = (...spans: ReturnType<typeof span>[]) => [...spans].sort(byStart).map((s) => s.spanId);

describe('byStart', () => {
  it('orders by start time first', () => {
    expect(order(span({ spanId: 'b', ...at(5, 1) }), span({ spanId: 'a', ...at(4, 900) }))).toEqual(['a', 'b']);
  });

  it('puts a model call before a tool sharing its start millisecond, even when the tool ends first', () => {
    // The call began late in the millisecond and ran 500 µs; the tool it asked for ran 200 µs after it.
    const llm = span({ spanId: 'z-llm', category: 'llm', ...at(7, 500) });
    const tool = span({ spanId: 'a-tool', category: 'tool', ...at(7, 200) });
    expect(order(tool, llm)).toEqual(['z-llm', 'a-tool']);
  });

  it('puts a parent before its child sharing its start millisecond, whatever their kinds', () => {
    const tool = span({ spanId: 'tool', category: 'tool', ...at(3, 900) });
    const llm = span({ spanId: 'llm', parentSpanId: 'tool', category: 'llm', ...at(3, 100) });
    expect(order(llm, tool)).toEqual(['tool', 'llm']);
  });

  it('breaks a full tie by end time, then span id', () => {
    expect(order(span({ spanId: 'b', ...at(1, 9) }), span({ spanId: 'a', ...at(1, 9) }), span({ spanId: 'c', ...at(1, 2) })))
      .toEqual(['c', 'a', 'b']);
  });
});
