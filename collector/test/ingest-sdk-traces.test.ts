/**
 * Spans made by the real OpenTelemetry JS SDK, sent by the real OTLP/HTTP exporters (JSON and
 * protobuf) over a socket to a collector on the real embedded engine, then read back from
 * `otel_traces`: what an agent using the SDK gets stored, value by value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type ReadableSpan, type SpanExporter, type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { DATABASE, DEFAULT_TENANT, TABLES } from '@agentflow/schemas';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';
import { RecordingExporter } from './helpers/recording-exporter.js';

const TRACES = `${DATABASE}.${TABLES.TRACES}`;
const TRACE_ID_TS = `${DATABASE}.${TABLES.TRACES_TRACE_ID_TS}`;
const SCOPE_NAME = 'sdk-test-scope';
const SCOPE_VERSION = '4.5.6';

/** Attributes as the SDK is given them, and as the ClickHouse exporter renders them (pdata AsString). */
const SPAN_ATTRIBUTES = {
  'test.string': 'hello, wörld ✓',
  'test.empty_string': '',
  'test.int': 42,
  'test.negative_int': -7,
  'test.max_safe_int': Number.MAX_SAFE_INTEGER,
  'test.double': 3.25,
  'test.small_double': 0.1,
  'test.bool_true': true,
  'test.bool_false': false,
  'test.strings': ['a', 'b c'],
  'test.ints': [1, 2, 3],
  'test.doubles': [1.5, -0.25],
  'test.bools': [true, false],
  'test.with_null': ['x', null],
  // Go's encoding/json escapes <, > and & inside rendered arrays.
  'test.html': ['<b>&</b>'],
};
const EXPECTED_SPAN_ATTRIBUTES: Record<string, string> = {
  'test.string': 'hello, wörld ✓',
  'test.empty_string': '',
  'test.int': '42',
  'test.negative_int': '-7',
  'test.max_safe_int': '9007199254740991',
  'test.double': '3.25',
  'test.small_double': '0.1',
  'test.bool_true': 'true',
  'test.bool_false': 'false',
  'test.strings': '["a","b c"]',
  'test.ints': '[1,2,3]',
  'test.doubles': '[1.5,-0.25]',
  'test.bools': '[true,false]',
  'test.with_null': '["x",null]',
  'test.html': String.raw`["\u003cb\u003e\u0026\u003c/b\u003e"]`,
};


interface Scenario {
  name: string;
  exporter(url: string): SpanExporter;
  processor(exporter: SpanExporter): SpanProcessor;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'exporter-trace-otlp-http (JSON) with a SimpleSpanProcessor',
    exporter: (url) => new JsonTraceExporter({ url }),
    processor: (exporter) => new SimpleSpanProcessor(exporter),
  },
  {
    name: 'exporter-trace-otlp-proto (protobuf) with a BatchSpanProcessor',
    exporter: (url) => new ProtoTraceExporter({ url }),
    // A long delay: everything goes out in the one export forceFlush triggers.
    processor: (exporter) => new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 }),
  },
];

/** A stored span as read back; 64-bit values come back as strings. */
interface StoredSpan {
  TenantId: string;
  startNs: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ResourceAttributes: Record<string, string>;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: Record<string, string>;
  durationNs: string;
  StatusCode: string;
  StatusMessage: string;
  eventTimesNs: string[];
  eventNames: string[];
  eventAttributes: Record<string, string>[];
  linkTraceIds: string[];
  linkSpanIds: string[];
  linkAttributes: Record<string, string>[];
}

/** Nanoseconds since the epoch of an HrTime, exactly. */
function nanos(time: HrTime): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}

let t: TestCollector;

beforeAll(async () => {
  t = await startTestCollector();
  await t.listen();
});

afterAll(async () => {
  await t?.stop();
});

describe.each(SCENARIOS)('spans from the OpenTelemetry JS SDK via $name', (scenario) => {
  const service = `sdk-traces-${SCENARIOS.indexOf(scenario)}`;
  let recorder: RecordingExporter<ReadableSpan>;
  let rows: StoredSpan[];
  /** Whole second at which the run's clock starts; span times are offsets from it. */
  let base: number;
  const bySdkName = (name: string) => recorder.items.find((s) => s.name === name) as ReadableSpan;
  const byStoredName = (name: string) => rows.find((r) => r.SpanName === name) as StoredSpan;

  beforeAll(async () => {
    recorder = new RecordingExporter<ReadableSpan>(scenario.exporter(`${t.url}/v1/traces`));
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        'service.name': service,
        'service.version': '1.2.3',
        'deployment.environment.name': 'test',
        'host.cpu.count': 8,
      }),
      spanProcessors: [scenario.processor(recorder)],
    });
    const tracer = provider.getTracer(SCOPE_NAME, SCOPE_VERSION);
    base = Math.floor(Date.now() / 1000) - 60;
    // Explicit times with odd nanoseconds, so any rounding on the way shows.
    const at = (ms: number, ns = 0): HrTime => [base + Math.floor(ms / 1000), (ms % 1000) * 1_000_000 + ns];

    const linked = tracer.startSpan('dequeue job', { kind: SpanKind.CONSUMER, root: true, startTime: at(0, 111) });
    linked.end(at(5, 222));

    const root = tracer.startSpan('invoke_agent planner', { kind: SpanKind.SERVER, startTime: at(10, 123_456), attributes: SPAN_ATTRIBUTES });
    root.addEvent('user message', { 'test.index': 0, 'test.content': 'hi', 'test.flag': true }, at(20, 7));
    root.addEvent('checkpoint', {}, at(30, 9));
    root.setStatus({ code: SpanStatusCode.ERROR, message: 'tool failed: timeout' });
    const rootContext = trace.setSpan(ROOT_CONTEXT, root);

    const child = tracer.startSpan(
      'chat model',
      { kind: SpanKind.CLIENT, startTime: at(40, 1), links: [{ context: linked.spanContext(), attributes: { 'test.reason': 'follows', 'test.n': 2 } }] },
      rootContext,
    );
    child.setStatus({ code: SpanStatusCode.OK });
    child.end(at(540, 2));

    const producer = tracer.startSpan('enqueue result', { kind: SpanKind.PRODUCER, startTime: at(1600) }, rootContext);
    producer.end(at(1610));

    const internal = tracer.startSpan('parse output', { startTime: at(2620, 3) }, trace.setSpan(ROOT_CONTEXT, child));
    internal.end(at(2630, 4));

    root.end(at(3010, 999));
    await provider.forceFlush();
    await provider.shutdown();

    rows = await t.query<StoredSpan>(
      `SELECT TenantId, toString(toUnixTimestamp64Nano(Timestamp)) AS startNs, TraceId, SpanId, ParentSpanId, SpanName,
              SpanKind, ServiceName, ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes,
              toString(Duration) AS durationNs, StatusCode, StatusMessage,
              arrayMap(x -> toString(toUnixTimestamp64Nano(x)), Events.Timestamp) AS eventTimesNs,
              Events.Name AS eventNames, Events.Attributes AS eventAttributes,
              Links.TraceId AS linkTraceIds, Links.SpanId AS linkSpanIds, Links.Attributes AS linkAttributes
       FROM ${TRACES} WHERE ServiceName = {service:String}`,
      { service },
    );
  });

  it('the exporter sees every export succeed', () => {
    expect(recorder.items).toHaveLength(5);
    expect(recorder.resultCodes.length).toBeGreaterThan(0);
    // ExportResultCode.SUCCESS is 0.
    expect(recorder.resultCodes.every((code) => code === 0)).toBe(true);
  });

  it('stores one row per span, under the default tenant', () => {
    expect(rows.map((r) => r.SpanName).sort()).toEqual(['chat model', 'dequeue job', 'enqueue result', 'invoke_agent planner', 'parse output']);
    expect(new Set(rows.map((r) => r.TenantId))).toEqual(new Set([DEFAULT_TENANT]));
  });

  it('stores the trace and span ids the SDK generated, as lowercase hex', () => {
    for (const span of recorder.items) {
      const row = byStoredName(span.name);
      expect(row.TraceId).toBe(span.spanContext().traceId);
      expect(row.SpanId).toBe(span.spanContext().spanId);
      expect(row.TraceId).toMatch(/^[0-9a-f]{32}$/);
      expect(row.SpanId).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it('stores the parent span id of children and an empty one for roots', () => {
    const id = (name: string) => bySdkName(name).spanContext().spanId;
    expect(byStoredName('invoke_agent planner').ParentSpanId).toBe('');
    expect(byStoredName('dequeue job').ParentSpanId).toBe('');
    expect(byStoredName('chat model').ParentSpanId).toBe(id('invoke_agent planner'));
    expect(byStoredName('enqueue result').ParentSpanId).toBe(id('invoke_agent planner'));
    expect(byStoredName('parse output').ParentSpanId).toBe(id('chat model'));
    expect(byStoredName('parse output').TraceId).toBe(byStoredName('invoke_agent planner').TraceId);
    expect(byStoredName('dequeue job').TraceId).not.toBe(byStoredName('invoke_agent planner').TraceId);
  });

  it('stores span kinds by their exporter names', () => {
    expect(Object.fromEntries(rows.map((r) => [r.SpanName, r.SpanKind]))).toEqual({
      'dequeue job': 'Consumer',
      'invoke_agent planner': 'Server',
      'chat model': 'Client',
      'enqueue result': 'Producer',
      'parse output': 'Internal',
    });
  });

  it('stores the start time to the nanosecond and the duration in nanoseconds', () => {
    const expected = {
      'dequeue job': [nanos([base, 111]), 5_000_000n + 111n],
      'invoke_agent planner': [nanos([base, 10_123_456]), 3_000_000_000n + 999n - 123_456n],
      'chat model': [nanos([base, 40_000_001]), 500_000_001n],
      'enqueue result': [nanos([base + 1, 600_000_000]), 10_000_000n],
      'parse output': [nanos([base + 2, 620_000_003]), 10_000_001n],
    };
    for (const [name, [start, duration]] of Object.entries(expected)) {
      const row = byStoredName(name);
      expect({ name, start: row.startNs, duration: row.durationNs }).toEqual({ name, start: String(start), duration: String(duration) });
      // The same numbers the SDK recorded.
      const span = bySdkName(name);
      expect(row.startNs).toBe(String(nanos(span.startTime)));
      expect(row.durationNs).toBe(String(nanos(span.endTime) - nanos(span.startTime)));
    }
  });

  it('stores status codes by name and the error message', () => {
    const status = Object.fromEntries(rows.map((r) => [r.SpanName, [r.StatusCode, r.StatusMessage]]));
    expect(status).toEqual({
      'dequeue job': ['Unset', ''],
      'invoke_agent planner': ['Error', 'tool failed: timeout'],
      'chat model': ['Ok', ''],
      'enqueue result': ['Unset', ''],
      'parse output': ['Unset', ''],
    });
  });

  it('stores every attribute type rendered as the ClickHouse exporter renders it', () => {
    expect(byStoredName('invoke_agent planner').SpanAttributes).toEqual(EXPECTED_SPAN_ATTRIBUTES);
    expect(byStoredName('parse output').SpanAttributes).toEqual({});
  });

  it('stores events with their names, times and attributes, in order', () => {
    const root = byStoredName('invoke_agent planner');
    expect(root.eventNames).toEqual(['user message', 'checkpoint']);
    expect(root.eventTimesNs).toEqual([String(nanos([base, 20_000_007])), String(nanos([base, 30_000_009]))]);
    expect(root.eventAttributes).toEqual([{ 'test.index': '0', 'test.content': 'hi', 'test.flag': 'true' }, {}]);
    expect(byStoredName('chat model').eventNames).toEqual([]);
  });

  it('stores links with the linked span context and the link attributes', () => {
    const linked = bySdkName('dequeue job').spanContext();
    const child = byStoredName('chat model');
    expect(child.linkTraceIds).toEqual([linked.traceId]);
    expect(child.linkSpanIds).toEqual([linked.spanId]);
    expect(child.linkAttributes).toEqual([{ 'test.reason': 'follows', 'test.n': '2' }]);
    expect(byStoredName('invoke_agent planner').linkSpanIds).toEqual([]);
  });

  it('stores the service name, the resource attributes and the scope on every span', () => {
    for (const row of rows) {
      expect(row.ServiceName).toBe(service);
      expect(row.ResourceAttributes).toEqual({
        'service.name': service,
        'service.version': '1.2.3',
        'deployment.environment.name': 'test',
        'host.cpu.count': '8',
      });
      expect([row.ScopeName, row.ScopeVersion]).toEqual([SCOPE_NAME, SCOPE_VERSION]);
    }
  });

  it('records each trace in otel_traces_trace_id_ts with its first and last span start second', async () => {
    const traceId = bySdkName('invoke_agent planner').spanContext().traceId;
    const [agent] = await t.query<{ n: string; start: number; end: number }>(
      `SELECT count() AS n, toUnixTimestamp(min(Start)) AS start, toUnixTimestamp(max(End)) AS end
       FROM ${TRACE_ID_TS} WHERE TenantId = {tenant:String} AND TraceId = {traceId:String}`,
      { tenant: DEFAULT_TENANT, traceId },
    );
    expect(Number(agent?.n)).toBeGreaterThan(0);
    // Start is the earliest span start (the root, at base s); End the latest span start (base + 2 s).
    expect([agent?.start, agent?.end]).toEqual([base, base + 2]);

    const linkedTraceId = bySdkName('dequeue job').spanContext().traceId;
    const [other] = await t.query<{ n: string }>(`SELECT count() AS n FROM ${TRACE_ID_TS} WHERE TraceId = {id:String}`, { id: linkedTraceId });
    expect(Number(other?.n)).toBeGreaterThan(0);
  });
});
