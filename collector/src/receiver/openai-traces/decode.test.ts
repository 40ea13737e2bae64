import { createHash } from 'node:crypto';
import { GEN_AI, GENERAL, OPENAI_AGENTS, RESOURCE } from '@agentflow/schemas';
import { describe, expect, it } from 'vitest';
import { OtlpDecodeError } from '../otlp/index.js';
import { decodeOpenAiTraces } from './index.js';
import { OPENAI_AGENTS_SCOPE_NAME, OPENAI_AGENTS_SERVICE_NAME } from './source.js';
import {
  bytes, decodeItems, onlyRow, OPENAI_PARENT_ID, OPENAI_SPAN_ID, OPENAI_TRACE_ID, OTEL_TRACE_ID, spanItem, spanWith, traceItem,
} from './test-items.js';

/** First 8 bytes of SHA-256, computed here independently of the decoder. */
const hashedSpanId = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 16);

describe('decodeOpenAiTraces: the body', () => {
  it('throws OtlpDecodeError for a body that is not JSON', () => {
    expect(() => decodeOpenAiTraces(bytes('{"data": ['), 't')).toThrow(OtlpDecodeError);
    expect(() => decodeOpenAiTraces(bytes('{"data": ['), 't')).toThrow(/^invalid JSON/);
  });

  it('throws OtlpDecodeError for JSON that is not {"data": [...]}', () => {
    for (const body of ['[]', '"x"', '{}', '{"data": null}', '{"data": {}}', '{"items": []}', '']) {
      expect(() => decodeOpenAiTraces(bytes(body), 't'), body).toThrow(OtlpDecodeError);
    }
    expect(() => decodeOpenAiTraces(bytes('{"data": 3}'), 't')).toThrow('the body must be {"data": [...]}, data is 3');
  });

  it('answers an empty list with no rows', () => {
    expect(decodeItems()).toEqual({ rows: [], rejected: 0, errors: [] });
  });

  it('accepts a leading byte order mark', () => {
    expect(decodeOpenAiTraces(bytes('\ufeff' + JSON.stringify({ data: [spanItem()] })), 't').rows).toHaveLength(1);
  });

  it('decodes the same body to the same rows every time', () => {
    const body = bytes({ data: [traceItem(), spanItem(), spanItem({ id: 'span_000000000000000000000001' })] });
    expect(decodeOpenAiTraces(body, 't')).toEqual(decodeOpenAiTraces(body, 't'));
  });
});

describe('decodeOpenAiTraces: ids, times, source', () => {
  it('uses the hex of trace_<32 hex> as the trace id, lowercased', () => {
    expect(onlyRow(spanItem()).traceId).toBe(OTEL_TRACE_ID);
    expect(onlyRow(spanItem({ trace_id: OPENAI_TRACE_ID.toUpperCase().replace('TRACE_', 'trace_') })).traceId).toBe(OTEL_TRACE_ID);
  });

  it('hashes any other trace id to 16 bytes, the same for every span of the trace', () => {
    const a = onlyRow(spanItem({ trace_id: 'trace_Custom0123456789abcdefghijklmnopq' }));
    const b = onlyRow(spanItem({ trace_id: 'trace_Custom0123456789abcdefghijklmnopq', id: 'span_other' }));
    expect(a.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(b.traceId).toBe(a.traceId);
  });

  it('maps span and parent ids to the first 8 bytes of their SHA-256, so parent links hold', () => {
    const row = onlyRow(spanItem());
    expect(row.spanId).toBe(hashedSpanId(OPENAI_SPAN_ID));
    expect(row.parentSpanId).toBe(hashedSpanId(OPENAI_PARENT_ID));
    const parent = onlyRow(spanItem({ id: OPENAI_PARENT_ID, parent_id: null }));
    expect(parent.spanId).toBe(row.parentSpanId);
    expect(parent.parentSpanId).toBe('');
  });

  it('keeps the SDK ids as attributes', () => {
    expect(onlyRow(spanItem()).attributes).toMatchObject({ [OPENAI_AGENTS.SPAN_ID]: OPENAI_SPAN_ID, [OPENAI_AGENTS.TRACE_ID]: OPENAI_TRACE_ID });
  });

  it('reads ISO times to the nanosecond, JavaScript and Python spellings alike', () => {
    expect(onlyRow(spanItem())).toMatchObject({ startTimeUnixNano: 1_795_241_089_535_000_000n, endTimeUnixNano: 1_795_241_089_548_000_000n });
    expect(onlyRow(spanItem({ started_at: '2026-01-01T00:00:04+00:00', ended_at: '2026-01-01T01:00:04.100000+01:00' }))).toMatchObject({
      startTimeUnixNano: 1_767_225_604_000_000_000n, endTimeUnixNano: 1_767_225_604_100_000_000n,
    });
  });

  it('says the row came from the OpenAI Agents SDK', () => {
    const row = onlyRow(spanItem());
    expect(row).toMatchObject({ tenantId: 'tenant-o', serviceName: OPENAI_AGENTS_SERVICE_NAME, scopeName: OPENAI_AGENTS_SCOPE_NAME, traceState: '', links: [] });
    expect({ ...row.resourceAttributes }).toEqual({
      [RESOURCE.SERVICE_NAME]: OPENAI_AGENTS_SERVICE_NAME, [RESOURCE.TELEMETRY_SDK_NAME]: OPENAI_AGENTS_SERVICE_NAME,
    });
  });
});

describe('decodeOpenAiTraces: trace items', () => {
  const traced = {
    [OPENAI_AGENTS.WORKFLOW_NAME]: 'Orders', [GEN_AI.CONVERSATION_ID]: 'conv-3001', [`${OPENAI_AGENTS.METADATA_PREFIX}user_id`]: 'user-42',
  };

  it('puts the workflow, group id as conversation and metadata on every span of the trace', () => {
    const { rows } = decodeItems(traceItem(), spanItem(), spanItem({ id: 'span_2' }));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.attributes).toMatchObject(traced);
  });

  it('applies a trace item that comes after its spans', () => {
    expect(decodeItems(spanItem(), traceItem()).rows[0]!.attributes).toMatchObject(traced);
  });

  it('still maps a span whose trace item is not in the request, without them', () => {
    const row = onlyRow(spanItem());
    expect(row.attributes[OPENAI_AGENTS.WORKFLOW_NAME]).toBeUndefined();
    expect(row.attributes[GEN_AI.CONVERSATION_ID]).toBeUndefined();
  });

  it('does not put one trace\'s attributes on another trace\'s spans', () => {
    const other = 'trace_00000000000000000000000000000001';
    const row = onlyRow(traceItem({ id: other }), spanItem());
    expect(row.attributes[OPENAI_AGENTS.WORKFLOW_NAME]).toBeUndefined();
  });

  it('renders metadata values: strings as is, numbers and booleans plainly, objects as JSON, null left out', () => {
    const row = onlyRow(traceItem({ group_id: null, metadata: { n: 3, ok: true, tags: ['a'], gone: null } }), spanItem());
    const m = (k: string) => row.attributes[`${OPENAI_AGENTS.METADATA_PREFIX}${k}`];
    expect([m('n'), m('ok'), m('tags'), m('gone')]).toEqual(['3', 'true', '["a"]', undefined]);
    expect(row.attributes[GEN_AI.CONVERSATION_ID]).toBeUndefined();
  });
});

describe('decodeOpenAiTraces: errors', () => {
  it('turns error into an Error status with its message and an exception event carrying the data', () => {
    const row = onlyRow(spanWith(
      { type: 'function', name: 'cancel_order', input: '{}', output: 'failed' },
      { error: { message: 'Error running tool (non-fatal)', data: { tool_name: 'cancel_order', error: 'shipped' } } },
    ));
    expect(row).toMatchObject({ statusCode: 'Error', statusMessage: 'Error running tool (non-fatal)' });
    expect(row.events).toHaveLength(1);
    expect(row.events[0]!.name).toBe(GENERAL.EXCEPTION_EVENT);
    expect(row.events[0]!.timeUnixNano).toBe(row.endTimeUnixNano);
    expect({ ...row.events[0]!.attributes }).toEqual({
      [GENERAL.EXCEPTION_MESSAGE]: 'Error running tool (non-fatal)',
      [GENERAL.EXCEPTION_TYPE]: 'Error',
      [OPENAI_AGENTS.ERROR_DATA]: '{"tool_name":"cancel_order","error":"shipped"}',
    });
  });

  it('leaves the status unset and adds no event without an error', () => {
    expect(onlyRow(spanItem({ error: null }))).toMatchObject({ statusCode: 'Unset', statusMessage: '', events: [] });
  });

  it('records an error without data or message as an Error all the same', () => {
    const row = onlyRow(spanItem({ error: {} }));
    expect(row).toMatchObject({ statusCode: 'Error', statusMessage: '' });
    expect(row.events[0]!.attributes[OPENAI_AGENTS.ERROR_DATA]).toBeUndefined();
  });
});

describe('decodeOpenAiTraces: bad items', () => {
  const rejects = (item: unknown, reason: RegExp | string) => {
    const result = decodeItems(spanItem({ id: 'span_good' }), item);
    expect(result.rows.map((r) => r.attributes[OPENAI_AGENTS.SPAN_ID])).toEqual(['span_good']);
    expect(result.rejected).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(reason);
  };

  it('rejects an item that is not an object', () => rejects(42, 'item 1: must be an object, got 42'));
  it('rejects an item of an unknown object type', () => rejects({ object: 'trace.event' }, /object must be "trace" or "trace.span", got "trace.event"/));
  it('rejects a span without an id', () => rejects(spanItem({ id: undefined }), /^item 1 \(trace.span\): id is required/));
  it('rejects a span whose id is not a string', () => rejects(spanItem({ id: 7 }), /id must be a string, got 7/));
  it('rejects a span without a trace id', () => rejects(spanItem({ trace_id: null }), /trace_id is required/));
  it('rejects a span on the all-zero trace id', () => rejects(spanItem({ trace_id: `trace_${'0'.repeat(32)}` }), /trace_id must not be all zeros/));
  it('rejects a span whose parent id is not a string', () => rejects(spanItem({ parent_id: 5 }), /parent_id must be a string/));
  it('rejects a span without a start time', () => rejects(spanItem({ started_at: null }), /started_at is required/));
  it('rejects a span that has not ended', () => rejects(spanItem({ ended_at: null }), /ended_at is required/));
  it('rejects a time that is not ISO 8601', () => rejects(spanItem({ started_at: 'yesterday' }), /started_at must be an ISO 8601 date-time, got "yesterday"/));
  it('rejects a time that is not a string', () => rejects(spanItem({ ended_at: 1700000000 }), /ended_at must be a string/));
  it('rejects a time before 1970', () => rejects(spanItem({ started_at: '1969-12-31T23:59:59Z' }), /before 1970/));
  it('rejects a span that ends before it starts', () => rejects(spanItem({ ended_at: '2026-11-21T06:04:49.000Z' }), /is before start_time_unix_nano/));
  it('rejects a span without span_data', () => rejects(spanItem({ span_data: null }), /span_data is required/));
  it('rejects span_data that is not an object', () => rejects(spanItem({ span_data: 'agent' }), /span_data must be an object/));
  it('rejects span_data without a type', () => rejects(spanItem({ span_data: { name: 'x' } }), /span_data.type is required/));
  it('rejects an error that is not an object', () => rejects(spanItem({ error: 'boom' }), /error must be an object/));
  it('rejects an error message that is not a string', () => rejects(spanItem({ error: { message: 3 } }), /error.message must be a string/));
  it('rejects an agent name that is not a string', () => rejects(spanWith({ type: 'agent', name: ['A'] }), /span_data.name must be a string/));
  it('rejects agent tools that are not a list of names', () => rejects(spanWith({ type: 'agent', name: 'A', tools: [1] }), /span_data.tools must be an array of strings/));
  it('rejects a model that is not a string', () => rejects(spanWith({ type: 'generation', model: 4 }), /span_data.model must be a string/));

  it('rejects a malformed trace item, counts it, and still maps its spans without its attributes', () => {
    const result = decodeItems(traceItem({ workflow_name: 12 }), spanItem());
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]!.attributes[OPENAI_AGENTS.WORKFLOW_NAME]).toBeUndefined();
    expect(result).toMatchObject({ rejected: 1, errors: [`item 0 (trace "${OPENAI_TRACE_ID}"): workflow_name must be a string, got 12`] });
  });

  it('rejects a trace item without an id', () => {
    expect(decodeItems(traceItem({ id: '' }))).toMatchObject({ rows: [], rejected: 1, errors: ['item 0 (trace): id is required'] });
  });

  it('rejects a trace item whose metadata is not an object', () => {
    expect(decodeItems(traceItem({ metadata: 'x' })).errors[0]).toMatch(/metadata must be an object/);
  });

  it('counts every rejection but keeps only the first few reasons', () => {
    const result = decodeItems(...Array.from({ length: 9 }, () => 1), spanItem());
    expect(result.rows).toHaveLength(1);
    expect(result.rejected).toBe(9);
    expect(result.errors).toHaveLength(5);
  });

  it('rejects a payload nested too deeply to serialise instead of throwing', () => {
    // JSON.parse reads any depth; JSON.stringify recurses and runs out of stack long before 10^5.
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const span = JSON.stringify(spanWith({ type: 'function', name: 't', input: 'DEEP', output: 'ok' })).replace('"DEEP"', deep);
    const result = decodeOpenAiTraces(bytes(`{"data": [${span}]}`), 't');
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([`item 0 (trace.span "${OPENAI_SPAN_ID}"): span_data.input is nested too deeply`]);
  });
});
