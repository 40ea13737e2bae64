import { describe, expect, it } from 'vitest';
import { decodeLogsProto } from './index.js';
import { anyValue, attributes, fixed32, fixed64, hex, len, logs, message, SPAN_ID, TRACE_ID, varint } from './test-proto-writer.js';

const decode = (...records: Uint8Array[]) => decodeLogsProto(logs(records), 'tenant-l');
const only = (record: Uint8Array) => {
  const result = decode(record);
  expect(result.errors).toEqual([]);
  return result.rows[0]!;
};

describe('decodeLogsProto', () => {
  it('treats an empty body as an empty request', () => {
    expect(decodeLogsProto(new Uint8Array(), 't')).toEqual({ rows: [], rejected: 0, errors: [] });
  });

  it('reads every field of a record', () => {
    const record = message(
      fixed64(1, 10n), fixed64(11, 20n), varint(2, 17), len(3, 'ERROR'), len(5, anyValue.string('failed')),
      attributes(6, { 'app.k': anyValue.int(1) }), varint(7, 0), fixed32(8, 0x101), len(9, hex(TRACE_ID)), len(10, hex(SPAN_ID)),
      len(12, 'tool.failed'),
    );
    expect(only(record)).toEqual({
      tenantId: 'tenant-l',
      timeUnixNano: 10n,
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      severityText: 'ERROR',
      severityNumber: 17,
      serviceName: 'svc',
      body: 'failed',
      resourceAttributes: { 'service.name': 'svc' },
      scopeName: 'scope',
      scopeVersion: '',
      scopeAttributes: {},
      attributes: { 'app.k': '1' },
      eventName: 'tool.failed',
    });
  });

  it('falls back to the observed time when the time is 0', () => {
    expect(only(message(fixed64(1, 0n), fixed64(11, 20n))).timeUnixNano).toBe(20n);
    expect(only(message(fixed64(11, 20n))).timeUnixNano).toBe(20n);
    expect(only(message()).timeUnixNano).toBe(0n);
  });

  it('renders non-string bodies like attribute values', () => {
    const bodies = [
      anyValue.int(-5), anyValue.double(0.5), anyValue.bool(false), anyValue.bytes(hex('00ff')),
      anyValue.kvlist(), anyValue.array(anyValue.string('x')), new Uint8Array(),
    ].map((b) => only(message(len(5, b))).body);
    expect(bodies).toEqual(['-5', '0.5', 'false', 'AP8=', '{}', '["x"]', '']);
  });

  it('allows records without a span, storing all-zero ids as none', () => {
    expect(only(message(len(9, new Uint8Array()), len(10, new Uint8Array())))).toMatchObject({ traceId: '', spanId: '' });
    expect(only(message(len(9, new Uint8Array(16)), len(10, new Uint8Array(8))))).toMatchObject({ traceId: '', spanId: '' });
  });

  it('rejects a record whose ids have the wrong length and keeps the others', () => {
    const result = decode(message(len(3, 'ok')), message(len(9, hex('0102'))), message(len(10, hex(TRACE_ID))));
    expect(result.rows.map((r) => r.severityText)).toEqual(['ok']);
    expect(result.rejected).toBe(2);
    expect(result.errors).toEqual([
      "log record 1 of scope 'scope': trace_id must be empty or 16 bytes, got 2",
      "log record 2 of scope 'scope': span_id must be empty or 8 bytes, got 16",
    ]);
  });

  it('keeps scope attributes and reads a scope sent after its records', () => {
    const scope = message(len(1, 'late'), len(2, '9'), attributes(3, { team: anyValue.string('a') }));
    const scopeLogs = message(len(2, message(len(3, 'x'))), len(1, scope));
    const row = decodeLogsProto(len(1, message(len(2, scopeLogs))), 't').rows[0]!;
    expect(row).toMatchObject({ scopeName: 'late', scopeVersion: '9', scopeAttributes: { team: 'a' }, serviceName: '' });
  });

  it('refuses a known field with the wrong wire type', () => {
    expect(() => decode(message(varint(1, 5)))).toThrow('invalid protobuf: field 1 of LogRecord has wire type 0, expected 1');
  });
});
