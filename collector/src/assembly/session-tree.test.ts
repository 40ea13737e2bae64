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

  it('puts a model call before the tool it asked for, sharing its start millisecond', () => {
    const llm = span({ spanId: 'z-llm', category: 'llm', ...at(7, 500), requestedToolCalls: [{ id: 'call_1', name: 'book', argumentsHash: '' }] });
    const tool = span({ spanId: 'a-tool', category: 'tool', toolName: 'book', toolCallId: 'call_1', ...at(7, 200) });
    expect(order(tool, llm)).toEqual(['z-llm', 'a-tool']);
  });

  it('puts a quick tool before the next model call sharing its start millisecond (regression: the final answer was numbered before the tool it answered)', () => {
    // The tool answers an earlier call; the next call gives the final answer and asked for nothing.
    const tool = span({ spanId: 'a-tool', category: 'tool', toolName: 'book', toolCallId: 'call_1', ...at(9, 300) });
    const answer = span({ spanId: 'b-llm', category: 'llm', finishReasons: ['stop'], ...at(9, 400) });
    expect(order(answer, tool)).toEqual(['a-tool', 'b-llm']);
    // A call that asked for other tools came after this one's answer, too.
    const next = span({ spanId: 'c-llm', category: 'llm', ...at(9, 400), requestedToolCalls: [{ id: 'call_2', name: 'pay', argumentsHash: '' }] });
    expect(order(next, tool)).toEqual(['a-tool', 'c-llm']);
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
