/**
 * What the OTLP receiver answers to broken, hostile or merely unusual requests, through
 * `app.inject()` on a collector with the real embedded engine: the status and body the README
 * promises, nothing stored from a refused body, and a server that keeps serving afterwards.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';
import { fields, lenField, messagesAt, stringOf, varintOf } from './helpers/protobuf-wire.js';
import {
  jsonSpan, jsonTraceRequest, newSpanId, newTraceId, nowNanos, protoTraceRequest, seededRandom, type TestSpan,
} from './helpers/otlp-payloads.js';

const TRACES = `${DATABASE}.${TABLES.TRACES}`;
const LOGS = `${DATABASE}.${TABLES.LOGS}`;
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
/** Large enough for a 1 MB attribute, small enough that oversize bodies stay cheap to build. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

/** A real single-request trace export (one ResourceSpans) and a real log export. */
const TRACE_PB = readFileSync(join(FIXTURES, 'openinference/llm-error-then-retry.pb'));
const TRACE_JSON = readFileSync(join(FIXTURES, 'openinference/llm-error-then-retry.json'));
const LOGS_PB = readFileSync(join(FIXTURES, 'mastra/agent-tool-loop.logs.pb'));

let t: TestCollector;

beforeAll(async () => {
  t = await startTestCollector({ AGENTFLOW_MAX_BODY_BYTES: String(MAX_BODY_BYTES), AGENTFLOW_WRITER_FLUSH_MS: '5' });
});

afterAll(async () => {
  await t?.stop();
});

function post(url: string, contentType: string | undefined, payload: string | Buffer, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return t.collector.app.inject({
    method: 'POST',
    url,
    headers: { ...(contentType === undefined ? {} : { 'content-type': contentType }), ...headers },
    payload,
  });
}

/** A `google.rpc.Status` answer in protobuf: `{ int32 code = 1; string message = 2; }`. */
function protoStatus(res: LightMyRequestResponse): { code: number; message: string } {
  return { code: Number(varintOf(res.rawPayload, 1) ?? 0n), message: stringOf(res.rawPayload, 2) ?? '' };
}

/** The `partial_success` of a protobuf Export*ServiceResponse: `{ int64 rejected = 1; string error_message = 2; }`. */
function protoPartialSuccess(res: LightMyRequestResponse): { rejected: number; errorMessage: string } | undefined {
  const [partial] = messagesAt(res.rawPayload, [1]);
  if (partial === undefined) return undefined;
  return { rejected: Number(varintOf(partial, 1) ?? 0n), errorMessage: stringOf(partial, 2) ?? '' };
}

/** The `partialSuccess` of a JSON ExportTraceServiceResponse (int64 may be a string or a number). */
function jsonPartialSuccess(res: LightMyRequestResponse): { rejected: number; errorMessage: string } | undefined {
  const p = (res.json() as { partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string } }).partialSuccess;
  return p === undefined ? undefined : { rejected: Number(p.rejectedSpans), errorMessage: p.errorMessage ?? '' };
}

async function countRows(table: string, where = '1', params?: Record<string, unknown>): Promise<number> {
  const [row] = await t.query<{ n: string }>(`SELECT count() AS n FROM ${table} WHERE ${where}`, params);
  return Number(row?.n);
}

/** A valid span of a fresh trace. */
function goodSpan(name: string, traceId = newTraceId()): TestSpan {
  const start = nowNanos(-1000);
  return { traceId, spanId: newSpanId(), name, kind: 1, start, end: start + 1_000_000n };
}

describe('undecodable protobuf', () => {
  it('answers 400 with a google.rpc.Status naming the broken rule for every truncation of a real export, storing nothing', async () => {
    // One top-level field spanning the whole body: every shorter non-empty prefix cuts it.
    expect(fields(TRACE_PB).map((f) => f.end)).toEqual([TRACE_PB.length]);
    const before = await countRows(TRACES);
    const wrong: string[] = [];
    for (let length = 1; length < TRACE_PB.length; length++) {
      const res = await post('/v1/traces', PROTOBUF, TRACE_PB.subarray(0, length));
      const status = res.statusCode === 400 ? protoStatus(res) : undefined;
      if (res.statusCode !== 400 || status?.code !== 3 || !/^truncated protobuf: \S.*at offset \d+$/.test(status.message)) {
        wrong.push(`prefix ${length}: ${res.statusCode} ${status?.message ?? res.body.slice(0, 100)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await countRows(TRACES)).toBe(before);
  });

  it('answers 400 for every truncation of a real log export', async () => {
    expect(fields(LOGS_PB).map((f) => f.end)).toEqual([LOGS_PB.length]);
    const wrong: string[] = [];
    for (let length = 1; length < LOGS_PB.length; length++) {
      const res = await post('/v1/logs', PROTOBUF, LOGS_PB.subarray(0, length));
      if (res.statusCode !== 400 || !/^truncated protobuf: /.test(protoStatus(res).message)) wrong.push(`prefix ${length}: ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  it('names a wire-type mismatch: a span name sent as a varint', async () => {
    // Span.name (field 5) must be length-delimited; wire type 0 breaks the message.
    const span = Buffer.from([0x28, 0x01]);
    const body = lenField(1, lenField(2, lenField(2, span)));
    const res = await post('/v1/traces', PROTOBUF, body);
    expect(res.statusCode).toBe(400);
    expect(protoStatus(res).message).toMatch(/^invalid protobuf: .*field 5 of Span.*wire type 0/);
  });
});

describe('malformed JSON', () => {
  it.each([
    ['an unclosed object', '{', /^invalid JSON: /],
    ['plain text', 'not json', /^invalid JSON: /],
    ['a truncated export', TRACE_JSON.subarray(0, 200).toString('utf8'), /^invalid JSON: /],
    ['an array at the top', '[]', /must be a JSON object/],
    ['resourceSpans that is not an array', '{"resourceSpans": 5}', /resourceSpans must be an array/],
  ])('answers 400 with a JSON {code, message} for %s', async (_what, body, message) => {
    const res = await post('/v1/traces', JSON_TYPE, body);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ code: 3, message: expect.stringMatching(message) });
  });

  it('answers 400 to an empty JSON body', async () => {
    const res = await post('/v1/traces', JSON_TYPE, '');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 3, message: expect.stringMatching(/empty/) });
  });
});

describe('media types and methods', () => {
  it.each([
    ['text/plain', 'hello'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n'],
    ['application/xml', '<resourceSpans/>'],
  ])('answers 415 to Content-Type %s', async (contentType, body) => {
    const res = await post('/v1/traces', contentType, body);
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ message: expect.stringMatching(/Content-Type/) });
  });

  it.each(['GET', 'PUT', 'DELETE'] as const)('answers %s on /v1/traces and /v1/logs with 405 and Allow: POST', async (method) => {
    for (const url of ['/v1/traces', '/v1/logs']) {
      const res = await t.collector.app.inject({ method, url });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('POST');
      expect(res.json()).toMatchObject({ message: expect.stringContaining(method) });
    }
  });
});

describe('body size and content encoding', () => {
  it('answers 413 to a body over AGENTFLOW_MAX_BODY_BYTES', async () => {
    const res = await post('/v1/traces', PROTOBUF, Buffer.alloc(MAX_BODY_BYTES + 1024, 0x0a));
    expect(res.statusCode).toBe(413);
    expect(protoStatus(res).code).toBe(8);
  });

  it('answers 413 to a gzip bomb: a few KB expanding past the cap', async () => {
    const bomb = gzipSync(Buffer.alloc(MAX_BODY_BYTES * 4));
    expect(bomb.length).toBeLessThan(16 * 1024);
    const res = await post('/v1/traces', PROTOBUF, bomb, { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(413);
    expect(protoStatus(res).message).toMatch(/after gzip decompression/);
  });

  it('answers 413 to a deflate bomb', async () => {
    const res = await post('/v1/traces', JSON_TYPE, deflateSync(Buffer.alloc(MAX_BODY_BYTES * 4, 0x20)), { 'content-encoding': 'deflate' });
    expect(res.statusCode).toBe(413);
  });

  it('answers 400 to a corrupt gzip body', async () => {
    const res = await post('/v1/traces', PROTOBUF, Buffer.from('this is not gzip at all'), { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(400);
    expect(protoStatus(res).message).toMatch(/gzip/);
  });

  it('answers 400 to a truncated gzip body', async () => {
    const gz = gzipSync(TRACE_PB);
    const res = await post('/v1/traces', PROTOBUF, gz.subarray(0, gz.length >> 1), { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(400);
  });

  it.each(['br', 'zstd', 'compress'])('answers 415 to Content-Encoding %s', async (coding) => {
    const res = await post('/v1/traces', PROTOBUF, TRACE_PB, { 'content-encoding': coding });
    expect(res.statusCode).toBe(415);
    expect(protoStatus(res).message).toMatch(/Content-Encoding/);
  });

  it('stores a gzip body that fits the cap', async () => {
    const span = goodSpan('gzip-ok');
    const res = await post('/v1/traces', PROTOBUF, gzipSync(protoTraceRequest('bad-input-gzip', [span])), { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(200);
    expect(await countRows(TRACES, 'TraceId = {id:String}', { id: span.traceId.toString('hex') })).toBe(1);
  });
});

/** Five spans, each breaking one id or time rule, and two good ones, all in one trace. */
function mixedSpans(): { good: TestSpan[]; bad: TestSpan[] } {
  const traceId = newTraceId();
  const root = goodSpan('good root', traceId);
  const child = { ...goodSpan('good child', traceId), parentSpanId: root.spanId };
  const base = goodSpan('bad', traceId);
  const bad: TestSpan[] = [
    { ...base, name: 'bad: trace id 15 bytes', traceId: traceId.subarray(0, 15) },
    { ...base, name: 'bad: trace id all zero', traceId: Buffer.alloc(16) },
    { ...base, name: 'bad: span id 7 bytes', spanId: newSpanId().subarray(0, 7) },
    { ...base, name: 'bad: end before start', end: base.start - 1n },
    { ...base, name: 'bad: parent span id 4 bytes', parentSpanId: Buffer.alloc(4, 1) },
  ];
  return { good: [root, child], bad };
}

/** Matches an errorMessage naming each rule of {@link mixedSpans}, in either encoding's spelling. */
const RULES = [/trace.?id must be 16 bytes, got 15/i, /trace.?id must not be all zeros/i, /span.?id must be 8 bytes, got 7/i, /is before start/i, /parent.?span.?id must be empty or 8 bytes, got 4/i];

describe.each([
  ['JSON', JSON_TYPE, (spans: TestSpan[]) => jsonTraceRequest('bad-input-ids', spans.map(jsonSpan))],
  ['protobuf', PROTOBUF, (spans: TestSpan[]) => protoTraceRequest('bad-input-ids', spans)],
] as const)('spans breaking id and time rules, in %s', (encoding, contentType, encode) => {
  let res: LightMyRequestResponse;
  let good: TestSpan[];
  let bad: TestSpan[];

  beforeAll(async () => {
    ({ good, bad } = mixedSpans());
    const [root, child] = good as [TestSpan, TestSpan];
    // Bad spans between the good ones, so a decoder that stops at the first bad span shows.
    res = await post('/v1/traces', contentType, encode([root, ...bad, child]));
  });

  const partial = () => (encoding === 'JSON' ? jsonPartialSuccess(res) : protoPartialSuccess(res));

  it('answers 200 with partialSuccess.rejectedSpans equal to the number of bad spans', () => {
    expect(res.statusCode).toBe(200);
    expect(partial()?.rejected).toBe(bad.length);
  });

  it('names every broken rule in partialSuccess.errorMessage', () => {
    const message = partial()?.errorMessage ?? '';
    for (const rule of RULES) expect(message).toMatch(rule);
  });

  it('stores the good spans of the same request and none of the bad ones', async () => {
    const rows = await t.query<{ SpanName: string }>(
      `SELECT SpanName FROM ${TRACES} WHERE TraceId = {id:String} ORDER BY SpanName`,
      { id: good[0]?.traceId.toString('hex') },
    );
    expect(rows.map((r) => r.SpanName)).toEqual(['good child', 'good root']);
    expect(await countRows(TRACES, "startsWith(SpanName, 'bad: ')")).toBe(0);
  });
});

describe('log records breaking id rules', () => {
  it('answers 200 with partialSuccess.rejectedLogRecords and stores the good record', async () => {
    const now = nowNanos().toString();
    const body = JSON.stringify({
      resourceLogs: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bad-input-logs' } }] },
        scopeLogs: [{
          scope: { name: 's' },
          logRecords: [
            { timeUnixNano: now, body: { stringValue: 'good record' }, traceId: newTraceId().toString('hex'), spanId: newSpanId().toString('hex') },
            { timeUnixNano: now, body: { stringValue: 'bad record' }, traceId: newTraceId().toString('hex').slice(0, 30) },
          ],
        }],
      }],
    });
    const res = await post('/v1/logs', JSON_TYPE, body);
    expect(res.statusCode).toBe(200);
    const partial = (res.json() as { partialSuccess: { rejectedLogRecords: string; errorMessage: string } }).partialSuccess;
    expect(Number(partial.rejectedLogRecords)).toBe(1);
    expect(partial.errorMessage).toMatch(/trace.?id must be empty or 16 bytes, got 15/i);
    const rows = await t.query<{ Body: string }>(`SELECT Body FROM ${LOGS} WHERE ServiceName = 'bad-input-logs'`);
    expect(rows).toEqual([{ Body: 'good record' }]);
  });
});

describe('empty and minimal exports', () => {
  it('answers 200 with an empty body to an empty protobuf body and stores nothing', async () => {
    const before = await countRows(TRACES);
    const res = await post('/v1/traces', PROTOBUF, Buffer.alloc(0));
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.length).toBe(0);
    expect(await countRows(TRACES)).toBe(before);
  });

  it('answers 200 {} to the JSON export {}', async () => {
    const res = await post('/v1/traces', JSON_TYPE, '{}');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
  });

  it('answers 200 {} to {} on /v1/logs', async () => {
    const res = await post('/v1/logs', JSON_TYPE, '{}');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
  });
});

describe('unusual but valid values', () => {
  it.each([
    ['JSON', JSON_TYPE],
    ['protobuf', PROTOBUF],
  ] as const)('stores a 1 MB string attribute intact (%s)', async (encoding, contentType) => {
    const random = seededRandom(encoding.length);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 "\\<>&é✓😀\n\t';
    const chars = Array.from(alphabet);
    let big = '';
    while (big.length < 1_000_000) big += chars[Math.floor(random() * chars.length)];
    const span = { ...goodSpan(`big attribute ${encoding}`), attributes: { 'test.big': big } };
    const body = contentType === JSON_TYPE ? jsonTraceRequest('bad-input-big', [jsonSpan(span)]) : protoTraceRequest('bad-input-big', [span]);
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_BODY_BYTES);
    const res = await post('/v1/traces', contentType, body);
    expect(res.statusCode).toBe(200);
    const [row] = await t.query<{ v: string }>(`SELECT SpanAttributes['test.big'] AS v FROM ${TRACES} WHERE SpanId = {id:String}`, { id: span.spanId.toString('hex') });
    expect(row?.v.length).toBe(big.length);
    expect(row?.v === big).toBe(true);
  });

  it('stores int64 fields the same whether JSON sends them as strings or as numbers', async () => {
    const traceId = newTraceId().toString('hex');
    // Exactly representable as doubles, so both spellings denote the same integer.
    const start = (nowNanos() >> 20n) << 20n;
    const end = start + (1n << 30n);
    const event = start + (1n << 21n);
    expect([start, end, event].every((v) => BigInt(Number(v)) === v)).toBe(true);
    const span = (spanId: string, spell: (v: bigint) => string | number) => ({
      traceId,
      spanId,
      name: 'int64 spelling',
      kind: 1,
      startTimeUnixNano: spell(start),
      endTimeUnixNano: spell(end),
      attributes: [
        { key: 'test.int', value: { intValue: spell(123_456_789_012n) } },
        { key: 'test.negative', value: { intValue: spell(-5n) } },
      ],
      events: [{ name: 'e', timeUnixNano: spell(event) }],
    });
    const asString = newSpanId().toString('hex');
    const asNumber = newSpanId().toString('hex');
    const res = await post('/v1/traces', JSON_TYPE, jsonTraceRequest('bad-input-int64', [span(asString, (v) => v.toString()), span(asNumber, (v) => Number(v))]));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
    const rows = await t.query<Record<string, unknown>>(
      `SELECT SpanId, toString(toUnixTimestamp64Nano(Timestamp)) AS start, toString(Duration) AS duration, SpanAttributes AS attributes,
              arrayMap(x -> toString(toUnixTimestamp64Nano(x)), Events.Timestamp) AS events
       FROM ${TRACES} WHERE TraceId = {id:String}`,
      { id: traceId },
    );
    const expected = {
      start: String(start),
      duration: String(end - start),
      attributes: { 'test.int': '123456789012', 'test.negative': '-5' },
      events: [String(event)],
    };
    expect(rows.find((r) => r.SpanId === asString)).toEqual({ SpanId: asString, ...expected });
    expect(rows.find((r) => r.SpanId === asNumber)).toEqual({ SpanId: asNumber, ...expected });
  });

  it('stores int64 attribute strings beyond 2^53 exactly', async () => {
    const span = goodSpan('int64 extremes');
    const body = jsonSpan(span);
    body.attributes = [
      { key: 'test.max', value: { intValue: '9223372036854775807' } },
      { key: 'test.min', value: { intValue: '-9223372036854775808' } },
      { key: 'test.above_2_53', value: { intValue: '9007199254740993' } },
    ];
    expect((await post('/v1/traces', JSON_TYPE, jsonTraceRequest('bad-input-int64', [body]))).statusCode).toBe(200);
    const [row] = await t.query<{ a: Record<string, string> }>(`SELECT SpanAttributes AS a FROM ${TRACES} WHERE SpanId = {id:String}`, { id: span.spanId.toString('hex') });
    expect(row?.a).toEqual({ 'test.max': '9223372036854775807', 'test.min': '-9223372036854775808', 'test.above_2_53': '9007199254740993' });
  });
});

/**
 * Regression: a span time of 2^63 ns or more passes the decoders (fixed64 / uint64) but does not
 * fit the Int64 the writer encodes DateTime64(9) as. The encoder threw mid-row, the request got a
 * 500, and the half-written row stayed in the open batch, failing the next, valid export too.
 */
describe('times that do not fit DateTime64', () => {
  it.each([
    ['protobuf', PROTOBUF, (s: TestSpan) => protoTraceRequest('bad-input-time', [s])],
    ['JSON', JSON_TYPE, (s: TestSpan) => jsonTraceRequest('bad-input-time', [jsonSpan(s)])],
  ] as const)('a span starting at 2^63 ns (%s) is refused or rejected, not answered 500', async (_encoding, contentType, encode) => {
    const span = { ...goodSpan('far future'), start: 1n << 63n, end: (1n << 63n) + 5n };
    const res = await post('/v1/traces', contentType, encode(span));
    expect([200, 400], res.body).toContain(res.statusCode);
  });

  it('a log record at 2^64 − 1 ns is refused or rejected, not answered 500', async () => {
    const body = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '18446744073709551615', body: { stringValue: 'x' } }] }] }] });
    const res = await post('/v1/logs', JSON_TYPE, body);
    expect([200, 400], res.body).toContain(res.statusCode);
  });

  it('the next valid export after such a span is stored', async () => {
    const span = goodSpan('after far future');
    const res = await post('/v1/traces', JSON_TYPE, jsonTraceRequest('bad-input-time', [jsonSpan(span)]));
    expect(res.statusCode, res.body).toBe(200);
    expect(await countRows(TRACES, 'SpanId = {id:String}', { id: span.spanId.toString('hex') })).toBe(1);
  });
});

/**
 * Sends `count` seeded bodies, ten at a time (concurrent exports share insert batches, as they do
 * in production, and it keeps the file fast). Returns the answers that were neither 200 nor 400,
 * and how many of each status there were.
 */
async function fuzz(
  count: number,
  make: (i: number) => { url: string; contentType: string; body: Buffer | string; label: string },
): Promise<{ wrong: string[]; statuses: Record<number, number> }> {
  const wrong: string[] = [];
  const statuses: Record<number, number> = {};
  for (let first = 0; first < count; first += 10) {
    const requests = Array.from({ length: Math.min(10, count - first) }, (_, k) => make(first + k));
    const answers = await Promise.all(requests.map((r) => post(r.url, r.contentType, r.body)));
    answers.forEach((res, k) => {
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      if (res.statusCode !== 200 && res.statusCode !== 400) wrong.push(`${requests[k]?.label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    });
  }
  return { wrong, statuses };
}

describe('random input never gets a 500', () => {
  it('random bytes as protobuf: 200 or 400 (seeded, 400 bodies)', async () => {
    const random = seededRandom(0x5eed);
    const { wrong } = await fuzz(400, (i) => {
      const body = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 256) }, () => Math.floor(random() * 256)));
      return { url: i % 2 === 0 ? '/v1/traces' : '/v1/logs', contentType: PROTOBUF, body, label: `#${i} ${body.toString('hex')}` };
    });
    expect(wrong).toEqual([]);
  });

  it('a real protobuf export with random bytes overwritten: 200 or 400 (seeded, 400 bodies)', async () => {
    const random = seededRandom(0xb17f11b);
    const { wrong, statuses } = await fuzz(400, (i) => {
      const body = Buffer.from(TRACE_PB);
      const where: string[] = [];
      for (let e = 1 + Math.floor(random() * 4); e > 0; e--) {
        const at = Math.floor(random() * body.length);
        body[at] = Math.floor(random() * 256);
        where.push(`${at}=${body[at]}`);
      }
      return { url: '/v1/traces', contentType: PROTOBUF, body, label: `#${i} [${where.join(' ')}]` };
    });
    expect(wrong).toEqual([]);
    // Both paths were exercised: edits that still decode (and get stored) and edits that do not.
    expect(statuses[200]).toBeGreaterThan(20);
    expect(statuses[400]).toBeGreaterThan(20);
  });

  it('a real JSON export with random characters overwritten: 200 or 400 (seeded, 300 bodies)', async () => {
    const random = seededRandom(0x7e57);
    const text = TRACE_JSON.toString('utf8');
    const replacements = '{}[]:,"0123456789-.eE \\xnull';
    const { wrong, statuses } = await fuzz(300, (i) => {
      const chars = text.split('');
      const where: string[] = [];
      for (let e = 1 + Math.floor(random() * 3); e > 0; e--) {
        const at = Math.floor(random() * chars.length);
        chars[at] = replacements[Math.floor(random() * replacements.length)] as string;
        where.push(`${at}=${chars[at]}`);
      }
      return { url: '/v1/traces', contentType: JSON_TYPE, body: chars.join(''), label: `#${i} [${where.join(' ')}]` };
    });
    expect(wrong).toEqual([]);
    expect(statuses[200]).toBeGreaterThan(20);
    expect(statuses[400]).toBeGreaterThan(20);
  });
});

describe('after all of the above', () => {
  it('GET /health answers 200', async () => {
    const res = await t.collector.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok' });
  });

  it('a normal export still succeeds and is stored', async () => {
    const span = goodSpan('still serving');
    // Twice: a first export could absorb damage left in an open batch and hide it.
    for (let i = 0; i < 2; i++) {
      const res = await post('/v1/traces', PROTOBUF, protoTraceRequest('bad-input-after', [{ ...span, spanId: newSpanId() }]));
      expect(res.statusCode, res.body).toBe(200);
    }
    const res = await post('/v1/traces', PROTOBUF, TRACE_PB);
    expect(res.statusCode).toBe(200);
    expect(await countRows(TRACES, "ServiceName = 'bad-input-after'")).toBe(2);
  });
});
