import { describe, expect, it } from 'vitest';
import { TraceBuffer } from './trace-buffer.js';
import { canonicalSpan as span } from './test-spans.js';

const LIMITS = { quietMs: 100, timeoutMs: 1_000, maxTraces: 3, maxSpans: 100 };
const inTrace = (traceId: string, spanId: string, parentSpanId = 'p') => span({ traceId, spanId, parentSpanId });

describe('TraceBuffer', () => {
  it('settles a trace once its root arrived and it has been quiet, children first or not', () => {
    const buffer = new TraceBuffer(LIMITS);
    buffer.add([inTrace('t1', 'child')], 0);
    expect(buffer.takeSettled(500)).toEqual([]); // no root yet: waits for the timeout
    buffer.add([inTrace('t1', 'root', '')], 550);
    expect(buffer.takeSettled(600)).toEqual([]); // root, but not quiet for 100 ms yet
    const [trace] = buffer.takeSettled(650);
    expect([...(trace?.spans.keys() ?? [])]).toEqual(['child', 'root']);
    expect(buffer.size()).toEqual({ traces: 0, spans: 0 });
  });

  it('settles a trace that never ends at the timeout', () => {
    const buffer = new TraceBuffer(LIMITS);
    buffer.add([inTrace('t1', 'a')], 0);
    expect(buffer.takeSettled(999)).toEqual([]);
    expect(buffer.takeSettled(1_000).map((t) => t.traceId)).toEqual(['t1']);
  });

  it('stays within maxTraces by handing back the oldest traces as soon as it is over', () => {
    const buffer = new TraceBuffer(LIMITS);
    const evicted = [];
    for (let i = 0; i < 5; i++) evicted.push(...buffer.add([inTrace(`t${i}`, 'a')], i));
    expect(evicted.map((t) => t.traceId)).toEqual(['t0', 't1']);
    expect(buffer.size()).toEqual({ traces: 3, spans: 3 });
  });

  it('stays within maxSpans across traces', () => {
    const buffer = new TraceBuffer({ ...LIMITS, maxTraces: 100, maxSpans: 4 });
    expect(buffer.add([inTrace('big', 'a'), inTrace('big', 'b'), inTrace('big', 'c')], 0)).toEqual([]);
    expect(buffer.add([inTrace('small', 'a'), inTrace('small', 'b')], 1).map((t) => t.traceId)).toEqual(['big']);
    expect(buffer.size().spans).toBe(2);
  });

  it('counts a span sent twice once', () => {
    const buffer = new TraceBuffer(LIMITS);
    buffer.add([inTrace('t1', 'a'), inTrace('t1', 'a')], 0);
    expect(buffer.size()).toEqual({ traces: 1, spans: 1 });
  });

  it('marks a trace that gets spans after it settled for reload from storage', () => {
    const buffer = new TraceBuffer(LIMITS);
    buffer.add([inTrace('t1', 'root', '')], 0);
    expect(buffer.takeSettled(200)[0]?.reload).toBe(false);
    buffer.add([inTrace('t1', 'late')], 300);
    expect(buffer.takeAll()[0]).toMatchObject({ traceId: 't1', reload: true });
  });
});
