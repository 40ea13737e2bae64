import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgentTracker } from '../src/index.js';
import { installTracing, parentId } from './support/otel.js';

const tracing = installTracing();
beforeEach(() => tracing.exporter.reset());
afterEach(() => propagation.disable());

/** A message as it would cross a process boundary: serialised and parsed. */
function overTheWire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe.each([
  ['with no propagator registered (W3C fallback)', () => undefined],
  ['with the W3C propagator registered', () => propagation.setGlobalPropagator(new W3CTraceContextPropagator())],
])('inject / extract %s', (_label, setup) => {
  beforeEach(() => void setup());

  it('makes a session started from the extracted context a child of the injecting span', async () => {
    const orchestrator = createAgentTracker();
    const worker = createAgentTracker();
    const message = await orchestrator.runSession({ agentName: 'orchestrator' }, (session) =>
      session.tool({ name: 'delegate' }, () => overTheWire({ task: 'summarise', headers: session.injectContext() })),
    );
    expect(message.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const parent = worker.extractContext(message.headers);
    await worker.runSession({ agentName: 'worker', trigger: 'delegation', parentContext: parent }, async () => 'ok');

    const tool = tracing.span('execute_tool delegate');
    const sub = tracing.span('invoke_agent worker');
    expect(sub.spanContext().traceId).toBe(tool.spanContext().traceId);
    expect(parentId(sub)).toBe(tool.spanContext().spanId);
    expect(sub.parentSpanContext?.isRemote).toBe(true);
  });

  it('accepts the carrier itself as parentContext, and the tracker injects the active span', () => {
    const tracker = createAgentTracker();
    let carrier: Record<string, string> = {};
    tracker.runSession({ agentName: 'parent' }, () => {
      carrier = overTheWire(tracker.injectContext({ existing: 'kept' }));
    });
    expect(carrier['existing']).toBe('kept');
    tracker.runSession({ agentName: 'child', parentContext: carrier }, () => undefined);
    const parent = tracing.span('invoke_agent parent');
    expect(parentId(tracing.span('invoke_agent child'))).toBe(parent.spanContext().spanId);
  });

  it('starts a new trace from a carrier without trace context', () => {
    const tracker = createAgentTracker();
    const ctx = tracker.extractContext({ unrelated: 'header' });
    expect(trace.getSpanContext(ctx)).toBeUndefined();
    tracker.runSession({ agentName: 'outer' }, () => {
      tracker.runSession({ agentName: 'fresh', parentContext: ctx }, () => undefined);
    });
    expect(parentId(tracing.span('invoke_agent fresh'))).toBeUndefined();
  });
});
