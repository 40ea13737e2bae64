/**
 * Log records made by the real OpenTelemetry JS logs SDK, sent by the real OTLP/HTTP log
 * exporters (JSON and protobuf) over a socket to a collector on the real embedded engine, then
 * read back from `otel_logs`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, trace, type HrTime } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchLogRecordProcessor, LoggerProvider, SimpleLogRecordProcessor,
  type LogRecordExporter, type LogRecordProcessor, type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { DATABASE, DEFAULT_TENANT, TABLES } from '@agentflow/schemas';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';
import { RecordingExporter } from './helpers/recording-exporter.js';

const LOGS = `${DATABASE}.${TABLES.LOGS}`;
const SCOPE_NAME = 'sdk-logs-test-scope';
const SCOPE_VERSION = '7.8.9';


interface Scenario {
  name: string;
  exporter(url: string): LogRecordExporter;
  processor(exporter: LogRecordExporter): LogRecordProcessor;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'exporter-logs-otlp-http (JSON) with a SimpleLogRecordProcessor',
    exporter: (url) => new JsonLogExporter({ url }),
    processor: (exporter) => new SimpleLogRecordProcessor({ exporter }),
  },
  {
    name: 'exporter-logs-otlp-proto (protobuf) with a BatchLogRecordProcessor',
    exporter: (url) => new ProtoLogExporter({ url }),
    processor: (exporter) => new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 60_000 }),
  },
];

/** A stored log record as read back. */
interface StoredLog {
  TenantId: string;
  timeNs: string;
  TraceId: string;
  SpanId: string;
  TraceFlags: number;
  SeverityText: string;
  SeverityNumber: number;
  ServiceName: string;
  Body: string;
  ResourceAttributes: Record<string, string>;
  ScopeName: string;
  ScopeVersion: string;
  ScopeAttributes: Record<string, string>;
  LogAttributes: Record<string, string>;
  EventName: string;
}

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

describe.each(SCENARIOS)('log records from the OpenTelemetry JS SDK via $name', (scenario) => {
  const service = `sdk-logs-${SCENARIOS.indexOf(scenario)}`;
  let recorder: RecordingExporter<ReadableLogRecord>;
  let rows: StoredLog[];
  let base: number;
  let spanContext: { traceId: string; spanId: string };
  const byId = (id: string) => rows.find((r) => r.LogAttributes['test.id'] === id) as StoredLog;

  beforeAll(async () => {
    recorder = new RecordingExporter<ReadableLogRecord>(scenario.exporter(`${t.url}/v1/logs`));
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'service.version': '2.0.0', 'host.cpu.count': 4 }),
      processors: [scenario.processor(recorder)],
    });
    const logger = provider.getLogger(SCOPE_NAME, SCOPE_VERSION, { attributes: { 'test.scope_attr': 'yes' } });
    base = Math.floor(Date.now() / 1000) - 60;
    const at = (ms: number, ns = 0): HrTime => [base + Math.floor(ms / 1000), (ms % 1000) * 1_000_000 + ns];

    logger.emit({
      timestamp: at(10, 123),
      observedTimestamp: at(20),
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: 'user signed in',
      attributes: {
        'test.id': 'plain',
        'test.int': 7,
        'test.double': 2.5,
        'test.bool': false,
        'test.strings': ['a', 'b'],
      },
    });

    // A span from a real tracer (not exported): the record emitted in its context carries its ids.
    const span = new BasicTracerProvider().getTracer('t').startSpan('tool call');
    spanContext = span.spanContext();
    logger.emit({
      timestamp: at(1500),
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: 'calling the weather tool',
      attributes: { 'test.id': 'in-span' },
      context: trace.setSpan(ROOT_CONTEXT, span),
    });
    span.end();

    logger.emit({
      timestamp: at(2000, 5),
      eventName: 'agent.step.completed',
      body: { z: 1, a: 'x', nested: { k: [1, 'two', true] } },
      attributes: { 'test.id': 'event' },
    });

    await provider.forceFlush();
    await provider.shutdown();
    rows = await t.query<StoredLog>(
      `SELECT TenantId, toString(toUnixTimestamp64Nano(Timestamp)) AS timeNs, TraceId, SpanId, TraceFlags, SeverityText,
              SeverityNumber, ServiceName, Body, ResourceAttributes, ScopeName, ScopeVersion, ScopeAttributes,
              LogAttributes, EventName
       FROM ${LOGS} WHERE ServiceName = {service:String}`,
      { service },
    );
  });

  it('the exporter sees every export succeed', () => {
    expect(recorder.items).toHaveLength(3);
    expect(recorder.resultCodes.length).toBeGreaterThan(0);
    // ExportResultCode.SUCCESS is 0.
    expect(recorder.resultCodes.every((code) => code === 0)).toBe(true);
  });

  it('stores one row per log record, under the default tenant', () => {
    expect(rows.map((r) => r.LogAttributes['test.id']).sort()).toEqual(['event', 'in-span', 'plain']);
    expect(new Set(rows.map((r) => r.TenantId))).toEqual(new Set([DEFAULT_TENANT]));
  });

  it('stores a string body as is, with severity text and number', () => {
    expect(byId('plain')).toMatchObject({ Body: 'user signed in', SeverityText: 'INFO', SeverityNumber: 9 });
    expect(byId('in-span')).toMatchObject({ Body: 'calling the weather tool', SeverityText: 'WARN', SeverityNumber: 13 });
    expect(byId('event')).toMatchObject({ SeverityText: '', SeverityNumber: 0 });
  });

  it('stores the record time (not the observed time) to the nanosecond', () => {
    expect(byId('plain').timeNs).toBe(String(nanos([base, 10_000_123])));
    expect(byId('in-span').timeNs).toBe(String(nanos([base + 1, 500_000_000])));
    expect(byId('event').timeNs).toBe(String(nanos([base + 2, 5])));
  });

  it('stores attributes rendered as strings', () => {
    expect(byId('plain').LogAttributes).toEqual({
      'test.id': 'plain',
      'test.int': '7',
      'test.double': '2.5',
      'test.bool': 'false',
      'test.strings': '["a","b"]',
    });
  });

  it('stores the trace and span ids and sampled flag of the span a record was emitted in', () => {
    expect(byId('in-span')).toMatchObject({ TraceId: spanContext.traceId, SpanId: spanContext.spanId, TraceFlags: 1 });
    expect(byId('in-span').TraceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('stores empty ids for records outside a span', () => {
    expect(byId('plain')).toMatchObject({ TraceId: '', SpanId: '', TraceFlags: 0 });
  });

  it('stores the event name, and a map body as JSON with sorted keys', () => {
    const event = byId('event');
    expect(event.EventName).toBe('agent.step.completed');
    expect(event.Body).toBe('{"a":"x","nested":{"k":[1,"two",true]},"z":1}');
    expect(byId('plain').EventName).toBe('');
  });

  it('stores the service name, resource attributes and scope with its attributes', () => {
    for (const row of rows) {
      expect(row.ServiceName).toBe(service);
      expect(row.ResourceAttributes).toEqual({ 'service.name': service, 'service.version': '2.0.0', 'host.cpu.count': '4' });
      expect([row.ScopeName, row.ScopeVersion]).toEqual([SCOPE_NAME, SCOPE_VERSION]);
      expect(row.ScopeAttributes).toEqual({ 'test.scope_attr': 'yes' });
    }
  });
});
