import { createTraceState, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type HrTime } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SpanRow } from '@agentflow/schemas';
import { describe, expect, it } from 'vitest';
import { decodeTracesJson, decodeTracesProto } from './index.js';

const TENANT = 'tenant-a';
const SECOND = 1_795_241_569;
const at = (offsetNanos: number): HrTime => [SECOND + Math.floor(offsetNanos / 1e9), offsetNanos % 1e9];
const nanos = (t: HrTime): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

/** Records a small agent run with the real SDK: every attribute type, events, links, status. */
function recordSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'planner-svc', 'service.version': '1.0.0', 'host.cpu.count': 8 }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracerA = provider.getTracer('scope-a', '1.2.3');
  const tracerB = provider.getTracer('scope-b');

  // A remote parent carries a trace state that its children inherit.
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: 'ABCDEF0123456789abcdef0123456789'.toLowerCase(),
    spanId: '0123456789abcdef',
    traceFlags: TraceFlags.SAMPLED,
    traceState: createTraceState('vendor=opaque,other=1'),
    isRemote: true,
  });
  const root = tracerA.startSpan('invoke_agent planner', { kind: SpanKind.SERVER, startTime: at(0) }, remote);
  const rootContext = trace.setSpan(remote, root);
  root.setAttributes({
    'app.string': 'hello <world> & co',
    'app.int': 42,
    'app.negative': -7,
    'app.large': 2 ** 60,
    'app.double': 0.1,
    'app.bool': true,
    'app.strings': ['a', 'b<&>'],
    'app.ints': [1, -2, 3],
    'app.doubles': [1.5, -0.25],
    'app.bools': [true, false],
    'app.unicode': 'naïve ✓ 🎉',
    'app.empty': '',
  });
  root.addEvent('step', { 'step.index': 1, 'step.name': 'plan' }, at(1_000));
  root.addEvent('no-attributes', at(2_000));

  const other = tracerB.startSpan('background', { kind: SpanKind.CONSUMER, startTime: at(5) }, ROOT_CONTEXT);
  other.end(at(6));

  const child = tracerB.startSpan(
    'chat model',
    {
      kind: SpanKind.CLIENT,
      startTime: at(10_000),
      links: [{ context: other.spanContext(), attributes: { 'link.reason': 'follows', 'link.n': 2 } }, { context: root.spanContext() }],
    },
    rootContext,
  );
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
  child.end(at(1_500_000_000));

  const producer = tracerA.startSpan('enqueue', { kind: SpanKind.PRODUCER, startTime: at(20) }, rootContext);
  producer.setStatus({ code: SpanStatusCode.OK });
  producer.end(at(20));
  const internal = tracerA.startSpan('think', { startTime: at(30) }, rootContext);
  internal.end(at(40));

  root.end(at(2_000_000_000));
  return exporter.getFinishedSpans();
}

const ROOT_ATTRIBUTES = {
  'app.string': 'hello <world> & co',
  'app.int': '42',
  'app.negative': '-7',
  'app.large': '1152921504606846976',
  'app.double': '0.1',
  'app.bool': 'true',
  'app.strings': '["a","b\\u003c\\u0026\\u003e"]',
  'app.ints': '[1,-2,3]',
  'app.doubles': '[1.5,-0.25]',
  'app.bools': '[true,false]',
  'app.unicode': 'naïve ✓ 🎉',
  'app.empty': '',
};

/** Attributes as the decoder must render them, by span or event name. */
const ATTRIBUTES: Record<string, Record<string, string>> = {
  'invoke_agent planner': ROOT_ATTRIBUTES,
  step: { 'step.index': '1', 'step.name': 'plan' },
};
/** The chat span's link to the background span carries attributes; its link to the root none. */
const LINK_ATTRIBUTES = { 'link.reason': 'follows', 'link.n': '2' };

/** The row a span must decode to, every column derived from the SDK's own record of it. */
function expectedRow(span: ReadableSpan): SpanRow {
  return {
    tenantId: TENANT,
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? '',
    traceState: span.spanContext().traceState?.serialize() ?? '',
    name: span.name,
    kind: (['Internal', 'Server', 'Client', 'Producer', 'Consumer'] as const)[span.kind]!,
    serviceName: 'planner-svc',
    resourceAttributes: { 'service.name': 'planner-svc', 'service.version': '1.0.0', 'host.cpu.count': '8' },
    scopeName: span.instrumentationScope.name,
    scopeVersion: span.instrumentationScope.name === 'scope-a' ? '1.2.3' : '',
    attributes: ATTRIBUTES[span.name] ?? {},
    statusCode: (['Unset', 'Ok', 'Error'] as const)[span.status.code]!,
    statusMessage: span.status.message ?? '',
    events: span.events.map((e) => ({ timeUnixNano: nanos(e.time), name: e.name, attributes: ATTRIBUTES[e.name] ?? {} })),
    links: span.links.map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      traceState: l.context.traceState?.serialize() ?? '',
      attributes: l.context.spanId === span.parentSpanContext?.spanId ? {} : LINK_ATTRIBUTES,
    })),
  };
}

describe.each([
  ['protobuf', (spans: ReadableSpan[]) => decodeTracesProto(ProtobufTraceSerializer.serializeRequest(spans)!, TENANT)],
  ['JSON', (spans: ReadableSpan[]) => decodeTracesJson(JsonTraceSerializer.serializeRequest(spans)!, TENANT)],
])('%s round trip from the OpenTelemetry SDK', (_encoding, decode) => {
  const spans = recordSpans();
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const result = decode(spans);

  it('decodes every span and rejects none', () => {
    expect(result.rejected).toBe(0);
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(spans.length);
  });

  it('fills every column from the span', () => {
    for (const row of result.rows) {
      const span = byId.get(row.spanId);
      expect(span, row.spanId).toBeDefined();
      expect(row).toEqual(expectedRow(span!));
    }
  });

  it('renders every attribute type as the ClickHouse exporter does', () => {
    const root = result.rows.find((r) => r.name === 'invoke_agent planner')!;
    expect(root.attributes).toEqual(ROOT_ATTRIBUTES);
    expect(root.parentSpanId).toBe('0123456789abcdef');
    expect(root.traceState).toBe('vendor=opaque,other=1');
    expect(root.events).toEqual([
      { timeUnixNano: 1_795_241_569_000_001_000n, name: 'step', attributes: { 'step.index': '1', 'step.name': 'plan' } },
      { timeUnixNano: 1_795_241_569_000_002_000n, name: 'no-attributes', attributes: {} },
    ]);
  });

  it('keeps links with their attributes, kind and status', () => {
    const child = result.rows.find((r) => r.name === 'chat model')!;
    expect(child.kind).toBe('Client');
    expect(child.statusCode).toBe('Error');
    expect(child.statusMessage).toBe('rate limited');
    expect(child.links.map((l) => l.attributes)).toEqual([{ 'link.reason': 'follows', 'link.n': '2' }, {}]);
    expect(child.endTimeUnixNano - child.startTimeUnixNano).toBe(1_499_990_000n);
    expect(result.rows.find((r) => r.name === 'think')!.kind).toBe('Internal');
    expect(result.rows.find((r) => r.name === 'enqueue')!.statusCode).toBe('Ok');
  });
});
