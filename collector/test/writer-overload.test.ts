/**
 * Backpressure: with AGENTFLOW_WRITER_MAX_QUEUE_ROWS tiny, an export that would take the writer's
 * accepted-but-uncommitted rows past the cap is answered 429 with Retry-After, and nothing of it is
 * stored. Its own file because the embedded engine allows one collector per process, and this one
 * needs settings no other test wants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';
import { stringOf, varintOf } from './helpers/protobuf-wire.js';
import { jsonSpan, jsonTraceRequest, newSpanId, newTraceId, nowNanos, protoTraceRequest, type TestSpan } from './helpers/otlp-payloads.js';

const TRACES = `${DATABASE}.${TABLES.TRACES}`;
const LOGS = `${DATABASE}.${TABLES.LOGS}`;
const MAX_QUEUE_ROWS = 10;
/** Long enough that rows of a first export are still queued while a second one arrives. */
const FLUSH_MS = 300;

let t: TestCollector;

beforeAll(async () => {
  t = await startTestCollector({
    AGENTFLOW_WRITER_MAX_QUEUE_ROWS: String(MAX_QUEUE_ROWS),
    AGENTFLOW_WRITER_FLUSH_MS: String(FLUSH_MS),
    // Above any export here, so group commit never seals a batch early: only the flush timer does.
    AGENTFLOW_WRITER_MIN_BATCH_ROWS: '1000',
  });
});

afterAll(async () => {
  await t?.stop();
});

function spans(n: number, name: string): TestSpan[] {
  const traceId = newTraceId();
  const start = nowNanos(-1000);
  return Array.from({ length: n }, (_, i) => ({ traceId, spanId: newSpanId(), name: `${name} ${i}`, kind: 1, start, end: start + 1000n }));
}

async function countSpans(traceId: Buffer): Promise<number> {
  const [row] = await t.query<{ n: string }>(`SELECT count() AS n FROM ${TRACES} WHERE TraceId = {id:String}`, { id: traceId.toString('hex') });
  return Number(row?.n);
}

function postTraces(contentType: string, body: string | Buffer) {
  return t.collector.app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': contentType }, payload: body });
}

describe('writer queue full', () => {
  it('answers 429 with Retry-After and a RESOURCE_EXHAUSTED status to an export with more rows than the queue holds', async () => {
    const batch = spans(MAX_QUEUE_ROWS + 1, 'too many');
    const res = await postTraces('application/x-protobuf', protoTraceRequest('overload', batch));
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(Number(varintOf(res.rawPayload, 1))).toBe(8);
    expect(stringOf(res.rawPayload, 2)).toMatch(/queue/);
    expect(await countSpans(batch[0]!.traceId)).toBe(0);
  });

  it('answers 429 in JSON to a JSON export', async () => {
    const res = await postTraces('application/json', jsonTraceRequest('overload', spans(MAX_QUEUE_ROWS + 5, 'too many json').map(jsonSpan)));
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(res.json()).toEqual({ code: 8, message: expect.stringMatching(/queue/) });
  });

  it('answers 429 to a log export over the cap', async () => {
    const now = nowNanos().toString();
    const records = Array.from({ length: MAX_QUEUE_ROWS + 1 }, (_, i) => ({ timeUnixNano: now, body: { stringValue: `overload log ${i}` } }));
    const res = await t.collector.app.inject({
      method: 'POST',
      url: '/v1/logs',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: records }] }] }),
    });
    expect(res.statusCode).toBe(429);
    const [row] = await t.query<{ n: string }>(`SELECT count() AS n FROM ${LOGS} WHERE startsWith(Body, 'overload log')`);
    expect(Number(row?.n)).toBe(0);
  });

  it('stores an export of exactly the cap', async () => {
    const batch = spans(MAX_QUEUE_ROWS, 'at the cap');
    const res = await postTraces('application/x-protobuf', protoTraceRequest('overload', batch));
    expect(res.statusCode).toBe(200);
    expect(await countSpans(batch[0]!.traceId)).toBe(MAX_QUEUE_ROWS);
  });

  it('counts rows accepted but not yet committed: a second export that would pass the cap gets 429, the first still commits', async () => {
    const first = spans(6, 'queued first');
    const pending = postTraces('application/x-protobuf', protoTraceRequest('overload', first));
    // Wait until the first export's rows sit in the writer's open batch (the flush timer holds them).
    const deadline = Date.now() + FLUSH_MS / 2;
    while (t.collector.writer.stats().queuedRows < 6 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(t.collector.writer.stats().queuedRows).toBe(6);

    const second = spans(6, 'queued second');
    const refused = await postTraces('application/x-protobuf', protoTraceRequest('overload', second));
    expect(refused.statusCode).toBe(429);

    expect((await pending).statusCode).toBe(200);
    expect(await countSpans(first[0]!.traceId)).toBe(6);
    expect(await countSpans(second[0]!.traceId)).toBe(0);
    expect(t.collector.writer.stats().queuedRows).toBe(0);
  });

  it('accepts exports again once the queue has drained', async () => {
    const batch = spans(4, 'after drain');
    const res = await postTraces('application/json', jsonTraceRequest('overload', batch.map(jsonSpan)));
    expect(res.statusCode).toBe(200);
    expect(await countSpans(batch[0]!.traceId)).toBe(4);
  });
});
