import { ROOT_CONTEXT, trace, TraceFlags, type HrTime } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { LogRow } from '@agentflow/schemas';
import { describe, expect, it } from 'vitest';
import { decodeLogsJson, decodeLogsProto } from './index.js';

const TENANT = 'tenant-logs';
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const at = (nanos: number): HrTime => [1_795_241_607, nanos];

/** Emits records with the real SDK: every body type, trace context, scope attributes, event name. */
function recordLogs(): ReadableLogRecord[] {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'logs-svc', 'service.instance.id': 'i-1' }),
    // This version takes its exporter in an options object.
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('log-scope', '0.3.0', { attributes: { 'scope.team': 'agents', 'scope.n': 3 } });
  const inSpan = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
  const base = { observedTimestamp: at(999) };
  logger.emit({ ...base, timestamp: at(1), severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: 'plain text', attributes: { 'app.k': 'v', 'app.n': 5 }, context: inSpan });
  logger.emit({ ...base, timestamp: at(2), body: 42 });
  logger.emit({ ...base, timestamp: at(3), body: 2.5 });
  logger.emit({ ...base, timestamp: at(4), body: true });
  logger.emit({ ...base, timestamp: at(5), body: Uint8Array.from([1, 2, 3]) });
  logger.emit({ ...base, timestamp: at(6), body: ['a', 1, { b: null }] });
  logger.emit({ ...base, timestamp: at(7), body: { zeta: 1, alpha: { nested: [true] }, bytes: Uint8Array.from([255]) } });
  logger.emit({ ...base, timestamp: at(8), eventName: 'session.start', severityNumber: SeverityNumber.INFO2, attributes: { 'app.map': { x: 'y' }, 'app.bytes': Uint8Array.from([0xfb, 0xff]) } });
  return exporter.getFinishedLogRecords();
}

const EXPECTED_BODIES = ['plain text', '42', '2.5', 'true', 'AQID', '["a",1,{"b":null}]', '{"alpha":{"nested":[true]},"bytes":"/w==","zeta":1}', ''];

function expectedRow(index: number): LogRow {
  const first = index === 0;
  return {
    tenantId: TENANT,
    timeUnixNano: 1_795_241_607_000_000_000n + BigInt(index + 1),
    traceId: first ? TRACE_ID : '',
    spanId: first ? SPAN_ID : '',
    traceFlags: first ? 1 : 0,
    severityText: first ? 'WARN' : '',
    severityNumber: first ? SeverityNumber.WARN : index === 7 ? SeverityNumber.INFO2 : 0,
    serviceName: 'logs-svc',
    body: EXPECTED_BODIES[index]!,
    resourceAttributes: { 'service.name': 'logs-svc', 'service.instance.id': 'i-1' },
    scopeName: 'log-scope',
    scopeVersion: '0.3.0',
    scopeAttributes: { 'scope.team': 'agents', 'scope.n': '3' },
    attributes: first ? { 'app.k': 'v', 'app.n': '5' } : index === 7 ? { 'app.map': '{"x":"y"}', 'app.bytes': '+/8=' } : {},
    eventName: index === 7 ? 'session.start' : '',
  };
}

describe.each([
  ['protobuf', (records: ReadableLogRecord[]) => decodeLogsProto(ProtobufLogsSerializer.serializeRequest(records)!, TENANT)],
  ['JSON', (records: ReadableLogRecord[]) => decodeLogsJson(JsonLogsSerializer.serializeRequest(records)!, TENANT)],
])('%s round trip from the OpenTelemetry logs SDK', (_encoding, decode) => {
  const result = decode(recordLogs());

  it('decodes every record and rejects none', () => {
    expect(result.errors).toEqual([]);
    expect(result.rejected).toBe(0);
    expect(result.rows).toHaveLength(EXPECTED_BODIES.length);
  });

  it('fills every column, rendering non-string bodies like attribute values', () => {
    result.rows.forEach((row, i) => expect(row, `record ${i}`).toEqual(expectedRow(i)));
  });
});
