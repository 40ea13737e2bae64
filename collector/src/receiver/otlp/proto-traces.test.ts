import { describe, expect, it } from 'vitest';
import { decodeTracesProto, OtlpDecodeError } from './index.js';
import {
  anyValue, attributes, fixed32, fixed64, hex, keyValue, len, message, PARENT_ID, span, SPAN_ID, tag, TRACE_ID, traces, varint,
  varintBytes,
} from './test-proto-writer.js';

const decode = (body: Uint8Array) => decodeTracesProto(body, 'tenant-x');
const only = (body: Uint8Array) => {
  const result = decode(body);
  expect(result.errors).toEqual([]);
  expect(result.rows).toHaveLength(1);
  return result.rows[0]!;
};
const attribute = (value: Uint8Array) => only(traces([span(attributes(9, { k: value }))])).attributes['k'];

describe('decodeTracesProto', () => {
  it('treats an empty body as an empty request', () => {
    expect(decode(new Uint8Array())).toEqual({ rows: [], rejected: 0, errors: [] });
  });

  it('fills defaults for a minimal span and stamps the tenant', () => {
    expect(only(traces([span()]))).toEqual({
      tenantId: 'tenant-x',
      startTimeUnixNano: 1_000n,
      endTimeUnixNano: 2_000n,
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: '',
      traceState: '',
      name: 'op',
      kind: 'Unspecified',
      serviceName: 'svc',
      resourceAttributes: { 'service.name': 'svc' },
      scopeName: 'scope',
      scopeVersion: '1.0',
      attributes: {},
      statusCode: 'Unset',
      statusMessage: '',
      events: [],
      links: [],
    });
  });

  it('reads the resource and scope even when they follow the spans', () => {
    const scopeSpans = message(len(2, span()), len(1, message(len(1, 'late-scope'), len(2, '2.0'))));
    const resource = attributes(1, { 'service.name': anyValue.string('late-svc') });
    const row = only(len(1, message(len(2, scopeSpans), len(1, resource))));
    expect(row).toMatchObject({ serviceName: 'late-svc', scopeName: 'late-scope', scopeVersion: '2.0' });
    expect(row.resourceAttributes).toEqual({ 'service.name': 'late-svc' });
  });

  it('keeps timestamps exactly up to the largest one DateTime64(9) stores (2^63 - 1 ns)', () => {
    const row = only(traces([span(fixed64(7, 1_795_241_569_458_123_457n), fixed64(8, 2n ** 63n - 1n))]));
    expect(row.startTimeUnixNano).toBe(1_795_241_569_458_123_457n);
    expect(row.endTimeUnixNano).toBe(9_223_372_036_854_775_807n);
  });

  it('rejects a span whose time does not fit DateTime64(9), naming the rule', () => {
    const result = decodeTracesProto(traces([span(fixed64(7, 1n), fixed64(8, 2n ** 63n))]), 'default');
    expect(result).toMatchObject({ rows: [], rejected: 1 });
    expect(result.errors[0]).toMatch(/end_time_unix_nano 9223372036854775808 is past the largest storable time/);
  });

  it('maps kinds and status codes, out-of-range values to Unspecified and Unset', () => {
    const kinds = [0, 1, 2, 3, 4, 5, 6, -1].map((k) => only(traces([span(varint(6, k))])).kind);
    expect(kinds).toEqual(['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer', 'Unspecified', 'Unspecified']);
    const codes = [0, 1, 2, 3, -2].map((c) => only(traces([span(len(15, message(len(2, 'm'), varint(3, c))))])).statusCode);
    expect(codes).toEqual(['Unset', 'Ok', 'Error', 'Unset', 'Unset']);
  });

  it('reads events, links, trace state, parent and status', () => {
    const event = message(fixed64(1, 1_500n), len(2, 'exception'), attributes(3, { 'exception.message': anyValue.string('boom') }));
    const link = message(len(1, hex(TRACE_ID)), len(2, hex(PARENT_ID)), len(3, 'a=b'), attributes(4, { n: anyValue.int(1) }), fixed32(6, 0x301));
    const row = only(traces([span(len(3, 'k=v'), len(4, hex(PARENT_ID)), len(11, event), len(13, link), len(15, message(len(2, 'bad'), varint(3, 2))))]));
    expect(row).toMatchObject({ traceState: 'k=v', parentSpanId: PARENT_ID, statusCode: 'Error', statusMessage: 'bad' });
    expect(row.events).toEqual([{ timeUnixNano: 1_500n, name: 'exception', attributes: { 'exception.message': 'boom' } }]);
    expect(row.links).toEqual([{ traceId: TRACE_ID, spanId: PARENT_ID, traceState: 'a=b', attributes: { n: '1' } }]);
  });

  it('skips unknown fields of every wire type at every level', () => {
    const unknown = message(
      varint(90, 7), fixed64(91, 1n), len(92, 'x'), fixed32(93, 1),
      tag(94, 3), varint(1, 1), tag(95, 3), len(2, 'nested'), tag(95, 4), tag(94, 4),
    );
    const value = message(anyValue.string('v'), unknown);
    const kv = message(len(1, 'k'), len(2, value), unknown);
    const scopeSpans = message(len(1, message(len(1, 'scope'), unknown)), len(2, message(span(len(9, kv)), unknown)), unknown);
    const body = message(len(1, message(len(1, message(attributes(1, { 'service.name': anyValue.string('svc') }), unknown)), len(2, scopeSpans), unknown)), unknown);
    const row = only(body);
    expect(row.attributes).toEqual({ k: 'v' });
    expect(row.scopeName).toBe('scope');
  });

  it('refuses a known field with the wrong wire type', () => {
    expect(() => decode(traces([span(varint(2, 5))]))).toThrow(new OtlpDecodeError('OTLP_INVALID_PROTOBUF', 'invalid protobuf: field 2 of Span has wire type 0, expected 2'));
    expect(() => decode(traces([span(len(7, 'x'))]))).toThrow('field 7 of Span has wire type 2, expected 1');
    expect(() => decode(varint(1, 1))).toThrow('field 1 of ExportTraceServiceRequest has wire type 0, expected 2');
  });

  describe('per-span rules', () => {
    const cases: [string, Uint8Array, string][] = [
      ['a short trace id', span(len(1, hex(TRACE_ID.slice(2)))), "span 0 of scope 'scope': trace_id must be 16 bytes, got 15"],
      ['a missing trace id', message(len(2, hex(SPAN_ID))), "span 0 of scope 'scope': trace_id must be 16 bytes, got 0"],
      ['an all-zero trace id', span(len(1, new Uint8Array(16))), "span 0 of scope 'scope': trace_id must not be all zeros"],
      ['a long span id', span(len(2, hex(SPAN_ID + '00'))), "span 0 of scope 'scope': span_id must be 8 bytes, got 9"],
      ['an all-zero span id', span(len(2, new Uint8Array(8))), "span 0 of scope 'scope': span_id must not be all zeros"],
      ['a bad parent id', span(len(4, hex('0102'))), "span 0 of scope 'scope': parent_span_id must be empty or 8 bytes, got 2"],
      ['an end before the start', span(fixed64(8, 999n)), "span 0 of scope 'scope': end_time_unix_nano 999 is before start_time_unix_nano 1000"],
      ['a link with a bad trace id', span(len(13, message(len(1, hex('01')), len(2, hex(SPAN_ID))))), "span 0 of scope 'scope': link 0: trace_id must be 16 bytes, got 1"],
      ['a link with a zero span id', span(len(13, message(len(1, hex(TRACE_ID)), len(2, new Uint8Array(8))))), "span 0 of scope 'scope': link 0: span_id must not be all zeros"],
    ];
    it.each(cases)('rejects a span with %s and keeps the others', (_what, bad, reason) => {
      const result = decode(traces([span(), bad, span(len(5, 'third'))]));
      expect(result.rejected).toBe(1);
      expect(result.errors).toEqual([reason.replace('span 0', 'span 1')]);
      expect(result.rows.map((r) => r.name)).toEqual(['op', 'third']);
    });

    it('accepts an empty parent id and equal start and end', () => {
      expect(only(traces([span(len(4, new Uint8Array()), fixed64(8, 1_000n))])).parentSpanId).toBe('');
    });

    it('counts every rejection but reports only the first five reasons', () => {
      const result = decode(traces(Array.from({ length: 9 }, () => span(len(2, hex('00'))))));
      expect(result.rejected).toBe(9);
      expect(result.errors).toHaveLength(5);
    });
  });

  describe('attribute values, as the ClickHouse exporter renders them', () => {
    it.each([
      ['a string', anyValue.string('héllo <b>'), 'héllo <b>'],
      ['true', anyValue.bool(true), 'true'],
      ['false', anyValue.bool(false), 'false'],
      ['an int', anyValue.int(42), '42'],
      ['a negative int', anyValue.int(-42), '-42'],
      ['int64 max', anyValue.int(2n ** 63n - 1n), '9223372036854775807'],
      ['int64 min', anyValue.int(-(2n ** 63n)), '-9223372036854775808'],
      ['2^53 + 1', anyValue.int(2n ** 53n + 1n), '9007199254740993'],
      ['-(2^53)', anyValue.int(-(2n ** 53n)), '-9007199254740992'],
      ['a double', anyValue.double(0.1), '0.1'],
      ['a whole double', anyValue.double(3), '3'],
      ['negative zero', anyValue.double(-0), '-0'],
      ['a huge double', anyValue.double(1e21), '1e+21'],
      ['a tiny double', anyValue.double(1e-7), '1e-7'],
      ['NaN', anyValue.double(NaN), 'NaN'],
      ['Infinity', anyValue.double(Infinity), 'Infinity'],
      ['-Infinity', anyValue.double(-Infinity), '-Infinity'],
      ['bytes', anyValue.bytes(Uint8Array.from([0xff, 0x00, 0xfe, 0x41])), '/wD+QQ=='],
      ['an empty value', new Uint8Array(), ''],
      ['an empty string', anyValue.string(''), ''],
      ['an array of every type', anyValue.array(anyValue.string('a"b'), anyValue.int(-1), anyValue.double(1.5), anyValue.bool(false), anyValue.bytes(hex('ff')), new Uint8Array(), anyValue.double(NaN)), '["a\\"b",-1,1.5,false,"/w==",null,null]'],
      ['an empty array', anyValue.array(), '[]'],
      ['a map, keys sorted, last duplicate wins', anyValue.kvlist(keyValue('z', anyValue.int(1)), keyValue('a', anyValue.string('x')), keyValue('z', anyValue.int(2))), '{"a":"x","z":2}'],
      ['nested arrays and maps', anyValue.array(anyValue.kvlist(keyValue('k', anyValue.array(anyValue.int(2n ** 62n)))), anyValue.array()), '[{"k":[4611686018427387904]},[]]'],
      ['HTML and line separators escaped as Go does', anyValue.array(anyValue.string('<a&b>\u2028\n')), '["\\u003ca\\u0026b\\u003e\\u2028\\n"]'],
      ['the last of a repeated oneof', message(anyValue.string('first'), anyValue.int(7)), '7'],
      ['invalid UTF-8, replaced', len(1, Uint8Array.from([0x61, 0xff, 0x62])), 'a\ufffdb'],
    ])('%s', (_what, value, expected) => {
      expect(attribute(value)).toBe(expected);
    });

    it('keeps the last of duplicate keys', () => {
      const attrs = message(len(9, keyValue('k', anyValue.string('1'))), len(9, keyValue('k', anyValue.string('2'))));
      expect(only(traces([span(attrs)])).attributes).toEqual({ k: '2' });
    });

    it('stores any key as a plain entry, __proto__ included, and nothing inherited', () => {
      const row = only(traces([span(attributes(9, { ['__proto__']: anyValue.string('p'), constructor: anyValue.string('c') }))]));
      expect(Object.keys(row.attributes)).toEqual(['__proto__', 'constructor']);
      expect(row.attributes['__proto__']).toBe('p');
      expect(row.attributes['toString']).toBeUndefined();
    });

    it('renders long and short strings alike', () => {
      const long = 'x'.repeat(5_000) + 'é';
      expect(attribute(anyValue.string(long))).toBe(long);
      expect(attribute(anyValue.string('a'.repeat(64)))).toBe('a'.repeat(64));
    });
  });

  it('reads a non-minimal varint and a two-byte tag', () => {
    const paddedKind = message(tag(6, 0), Uint8Array.from([0x82, 0x80, 0x00]));
    expect(only(traces([span(paddedKind, fixed32(16, 0x101))])).kind).toBe('Server');
    expect(varintBytes(300)).toEqual(Uint8Array.from([0xac, 0x02]));
  });
});
