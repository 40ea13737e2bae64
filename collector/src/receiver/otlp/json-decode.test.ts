import { describe, expect, it } from 'vitest';
import { decodeLogsJson, decodeTracesJson, OtlpDecodeError } from './index.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

/** A request with one resource and scope around the given spans (each merged over a valid one). */
function request(...spans: Record<string, unknown>[]) {
  return {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      scopeSpans: [{ scope: { name: 'scope', version: '1' }, spans: spans.map((s) => ({ traceId: TRACE_ID, spanId: SPAN_ID, name: 'op', startTimeUnixNano: '1000', endTimeUnixNano: '2000', ...s })) }],
    }],
  };
}
const decode = (body: unknown) => decodeTracesJson(encode(body), 'tenant-j');
const only = (span: Record<string, unknown>) => {
  const result = decode(request(span));
  expect(result.errors).toEqual([]);
  return result.rows[0]!;
};
const attribute = (value: unknown) => only({ attributes: [{ key: 'k', value }] }).attributes['k'];

describe('decodeTracesJson', () => {
  it('treats an empty or blank body and {} as an empty request', () => {
    for (const body of ['', '  \n', '{}', '{"resourceSpans":null}']) expect(decode(body)).toEqual({ rows: [], rejected: 0, errors: [] });
  });

  it('decodes a span like the protobuf decoder', () => {
    expect(only({ parentSpanId: '', kind: 2, status: { code: 2, message: 'bad' }, traceState: 'a=b' })).toMatchObject({
      tenantId: 'tenant-j', traceId: TRACE_ID, spanId: SPAN_ID, parentSpanId: '', traceState: 'a=b', kind: 'Server',
      serviceName: 'svc', scopeName: 'scope', scopeVersion: '1', statusCode: 'Error', statusMessage: 'bad',
      startTimeUnixNano: 1000n, endTimeUnixNano: 2000n, events: [], links: [],
    });
  });

  it('accepts a leading byte order mark', () => {
    expect(decodeTracesJson(encode('\ufeff' + JSON.stringify(request({}))), 't').rows).toHaveLength(1);
  });

  it('normalises hex ids to lowercase', () => {
    const row = only({ traceId: TRACE_ID.toUpperCase(), spanId: 'EEE19B7EC3C1B174', parentSpanId: 'AbCdEf0123456789' });
    expect([row.traceId, row.spanId, row.parentSpanId]).toEqual([TRACE_ID, SPAN_ID, 'abcdef0123456789']);
  });

  it('reads 64-bit integers from strings and numbers', () => {
    expect(only({ startTimeUnixNano: 1_700_000_000_000, endTimeUnixNano: '9223372036854775807' })).toMatchObject({
      startTimeUnixNano: 1_700_000_000_000n, endTimeUnixNano: 9_223_372_036_854_775_807n,
    });
    expect(attribute({ intValue: '9223372036854775807' })).toBe('9223372036854775807');
    expect(attribute({ intValue: '-0012' })).toBe('-12');
    expect(attribute({ intValue: 42 })).toBe('42');
    expect(attribute({ intValue: -(2 ** 60) })).toBe('-1152921504606846976');
  });

  it('accepts enum names as well as numbers', () => {
    expect(only({ kind: 'SPAN_KIND_CLIENT', status: { code: 'STATUS_CODE_OK' } })).toMatchObject({ kind: 'Client', statusCode: 'Ok' });
    expect(only({ kind: 'producer', status: { code: 'error' } })).toMatchObject({ kind: 'Producer', statusCode: 'Error' });
    expect(only({ kind: 'SPAN_KIND_BOGUS', status: { code: 9 } })).toMatchObject({ kind: 'Unspecified', statusCode: 'Unset' });
  });

  it('accepts the proto field names in snake_case', () => {
    const body = {
      resource_spans: [{
        resource: { attributes: [{ key: 'service.name', value: { string_value: 'snake' } }] },
        scope_spans: [{ scope: { name: 's' }, spans: [{
          trace_id: TRACE_ID, span_id: SPAN_ID, parent_span_id: SPAN_ID, trace_state: 't', start_time_unix_nano: '5', end_time_unix_nano: '6',
          attributes: [{ key: 'a', value: { array_value: { values: [{ int_value: '1' }, { double_value: 2.5 }, { bool_value: true }] } } },
            { key: 'm', value: { kvlist_value: { values: [{ key: 'b', value: { bytes_value: 'AQ==' } }] } } }],
          events: [{ time_unix_nano: '5', name: 'e' }],
          links: [{ trace_id: TRACE_ID, span_id: SPAN_ID, trace_state: 'l' }],
        }] }],
      }],
    };
    const row = decode(body).rows[0]!;
    expect(row).toMatchObject({ serviceName: 'snake', parentSpanId: SPAN_ID, traceState: 't', startTimeUnixNano: 5n, endTimeUnixNano: 6n });
    expect(row.attributes).toEqual({ a: '[1,2.5,true]', m: '{"b":"AQ=="}' });
    expect(row.events).toEqual([{ timeUnixNano: 5n, name: 'e', attributes: {} }]);
    expect(row.links).toEqual([{ traceId: TRACE_ID, spanId: SPAN_ID, traceState: 'l', attributes: {} }]);
  });

  it('ignores unknown fields and treats null as absent', () => {
    const row = only({ someFutureField: { x: 1 }, parentSpanId: null, kind: null, attributes: [{ key: 'k', value: { stringValue: 'v', extra: 1 } }] });
    expect(row).toMatchObject({ parentSpanId: '', kind: 'Unspecified', attributes: { k: 'v' } });
  });

  describe('attribute values', () => {
    it.each([
      [{ doubleValue: 'NaN' }, 'NaN'],
      [{ doubleValue: 'Infinity' }, 'Infinity'],
      [{ doubleValue: '-Infinity' }, '-Infinity'],
      [{ doubleValue: '2.5' }, '2.5'],
      [{ doubleValue: 1e21 }, '1e+21'],
      [{ bytesValue: '-_8=' }, '+/8='],
      [{}, ''],
      [null, ''],
      [{ arrayValue: {} }, '[]'],
      [{ arrayValue: { values: [{ doubleValue: 'NaN' }, {}, { stringValue: '<&>' }] } }, '[null,null,"\\u003c\\u0026\\u003e"]'],
      [{ kvlistValue: { values: [{ key: 'z', value: { intValue: 1 } }, { key: 'a' }, { key: 'z', value: { intValue: '2' } }] } }, '{"a":null,"z":2}'],
    ])('%j renders as %j', (value, expected) => {
      expect(attribute(value)).toBe(expected);
    });
  });

  describe('per-span rules', () => {
    it.each([
      [{ traceId: TRACE_ID.slice(2) }, 'traceId must be 16 bytes, got 15'],
      [{ traceId: undefined }, 'traceId must be 16 bytes, got 0'],
      [{ traceId: '0'.repeat(32) }, 'traceId must not be all zeros'],
      [{ traceId: 'x'.repeat(32) }, 'traceId must be hex digits in pairs, got "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"'],
      [{ traceId: TRACE_ID + 'f' }, 'traceId must be hex digits in pairs, got "5b8efff798038103d269b633813fc60cf"'],
      [{ traceId: 12 }, 'traceId must be a hex string, got 12'],
      [{ spanId: '0000000000000000' }, 'spanId must not be all zeros'],
      [{ parentSpanId: 'abcd' }, 'parentSpanId must be empty or 8 bytes, got 2'],
      [{ endTimeUnixNano: '999' }, 'end_time_unix_nano 999 is before start_time_unix_nano 1000'],
      [{ startTimeUnixNano: 'soon' }, 'startTimeUnixNano must be an unsigned 64-bit integer, got "soon"'],
      [{ startTimeUnixNano: -1 }, 'startTimeUnixNano must be an unsigned 64-bit integer, got -1'],
      [{ links: [{ traceId: TRACE_ID, spanId: 'ab' }] }, 'link 0: spanId must be 8 bytes, got 1'],
      [{ name: 5 }, 'name must be a string, got 5'],
      [{ attributes: [{ key: 'k', value: { intValue: '9223372036854775808' } }] }, 'intValue must be a 64-bit integer, got "9223372036854775808"'],
      [{ attributes: [{ key: 'k', value: { intValue: 1.5 } }] }, 'intValue must be a 64-bit integer, got 1.5'],
      [{ attributes: [{ key: 'k', value: { boolValue: 'yes' } }] }, 'boolValue must be true or false, got "yes"'],
      [{ attributes: {} }, 'attributes must be an array, got an object'],
      [{ status: 'ERROR' }, 'status must be an object, got "ERROR"'],
    ])('rejects %j: %s', (bad, reason) => {
      const result = decode(request({}, bad, { name: 'third' }));
      expect(result.errors).toEqual([`span 1 of scope 'scope': ${reason}`]);
      expect(result.rejected).toBe(1);
      expect(result.rows.map((r) => r.name)).toEqual(['op', 'third']);
    });

    it('rejects a span that is not an object', () => {
      const body = { resourceSpans: [{ scopeSpans: [{ spans: [7] }] }] };
      expect(decode(body)).toMatchObject({ rows: [], rejected: 1, errors: ["span 0 of scope '': a span must be an object, got 7"] });
    });
  });

  describe('undecodable bodies', () => {
    const refused = (body: unknown, message: string | RegExp) => {
      expect(() => decode(body)).toThrow(OtlpDecodeError);
      expect(() => decode(body)).toThrow(message);
    };
    it('refuses text that is not JSON', () => refused('{"resourceSpans": [', /^invalid JSON: /));
    it('refuses a top level that is not an object', () => refused('[1]', 'invalid JSON: the request must be a JSON object'));
    it('refuses containers of the wrong type, naming them', () => {
      refused({ resourceSpans: {} }, 'resourceSpans must be an array');
      refused({ resourceSpans: [1] }, 'resourceSpans[0] must be an object');
      refused({ resourceSpans: [{ scopeSpans: 'x' }] }, 'resourceSpans[0].scopeSpans must be an array');
      refused({ resourceSpans: [{ scopeSpans: [{ spans: {} }] }] }, 'resourceSpans[0].scopeSpans[0].spans must be an array');
      refused({ resourceSpans: [{ resource: { attributes: 'x' } }] }, 'resourceSpans[0].resource: attributes must be an array, got "x"');
      refused({ resourceSpans: [{ scopeSpans: [{ scope: { name: 1 } }] }] }, 'resourceSpans[0].scopeSpans[0].scope: name must be a string, got 1');
    });
    it('caps AnyValue nesting at 32 levels', () => {
      const nested = (depth: number): unknown => (depth === 1 ? { intValue: 1 } : { arrayValue: { values: [nested(depth - 1)] } });
      expect(attribute(nested(32))).toBe('['.repeat(31) + '1' + ']'.repeat(31));
      refused(request({ attributes: [{ key: 'k', value: nested(33) }] }), 'invalid JSON: AnyValue nested deeper than 32 levels');
    });
    it('survives pathological nesting of plain JSON', () => {
      expect(() => decode('['.repeat(200_000) + ']'.repeat(200_000))).toThrow(OtlpDecodeError);
    });
  });
});

describe('decodeLogsJson', () => {
  const logs = (...records: Record<string, unknown>[]) =>
    decodeLogsJson(encode({ resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [{ scope: { name: 's', attributes: [{ key: 'a', value: { boolValue: false } }] }, logRecords: records }] }] }), 't');

  it('reads a record like the protobuf decoder', () => {
    const result = logs({
      timeUnixNano: '0', observedTimeUnixNano: '77', severityNumber: 'SEVERITY_NUMBER_WARN', severity_text: 'WARN',
      body: { kvlistValue: { values: [{ key: 'msg', value: { stringValue: 'hi' } }] } }, flags: 0x1ff,
      traceId: TRACE_ID.toUpperCase(), spanId: '', eventName: 'evt', attributes: [{ key: 'n', value: { intValue: '3' } }],
    });
    expect(result.errors).toEqual([]);
    expect(result.rows[0]).toEqual({
      tenantId: 't', timeUnixNano: 77n, traceId: TRACE_ID, spanId: '', traceFlags: 0xff, severityText: 'WARN', severityNumber: 13,
      serviceName: '', body: '{"msg":"hi"}', resourceAttributes: {}, scopeName: 's', scopeVersion: '', scopeAttributes: { a: 'false' },
      attributes: { n: '3' }, eventName: 'evt',
    });
  });

  it('maps severity names, unknown ones to 0', () => {
    const numbers = ['FATAL4', 'severity_number_info2', 'LOUD', 9].map((s) => logs({ severityNumber: s }).rows[0]!.severityNumber);
    expect(numbers).toEqual([24, 10, 0, 9]);
  });

  it('rejects a record with a bad id and keeps the others', () => {
    const result = logs({ body: { stringValue: 'ok' } }, { spanId: 'abc' }, { traceId: '00'.repeat(16) });
    expect(result.rows.map((r) => [r.body, r.traceId])).toEqual([['ok', ''], ['', '']]);
    expect(result.errors).toEqual(["log record 1 of scope 's': spanId must be hex digits in pairs, got \"abc\""]);
  });

  it('refuses a resourceLogs that is not an array', () => {
    expect(() => decodeLogsJson(encode({ resourceLogs: 1 }), 't')).toThrow('resourceLogs must be an array');
  });
});
