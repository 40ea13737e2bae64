import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, type SpanRow } from '@agentflow/schemas';
import { parseConfig } from '../src/config.js';
import { BatchWriter, LOG_SINK, loadMigrations, migrate, openStorage, SPAN_SINK, Wal, type RowSink, type Storage } from '../src/storage/index.js';
import { encodeNativeBlock } from '../src/storage/native-block.js';

/**
 * A crash between "batch inserted" and "batch marked done" leaves the batch's intent in the WAL.
 * The restart re-inserts it under the same token, and ClickHouse must drop it as a duplicate in
 * the table and in the materialized view it feeds.
 */
let dir: string;
let storage: Storage;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentflow-replay-'));
  const parsed = parseConfig({ AGENTFLOW_DATA_DIR: join(dir, 'data') });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  if (parsed.config.storage.kind !== 'embedded') throw new Error('expected embedded storage');
  storage = openStorage(parsed.config.storage);
  await migrate(storage.client, loadMigrations(MIGRATIONS_DIR));
});
afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

function spans(n: number): SpanRow[] {
  const start = BigInt(Date.now()) * 1_000_000n;
  return Array.from({ length: n }, (_, i) => ({
    tenantId: 'default', startTimeUnixNano: start, endTimeUnixNano: start + 5n, traceId: `${i % 3}`.padStart(32, 'a'),
    spanId: (i + 1).toString(16).padStart(16, '0'), parentSpanId: '', traceState: '', name: 'replayed', kind: 'Internal',
    serviceName: 'replay-test', resourceAttributes: {}, scopeName: '', scopeVersion: '', attributes: { i: String(i) },
    statusCode: 'Unset', statusMessage: '', events: [], links: [],
  }));
}

async function count(sql: string): Promise<number> {
  const rs = await storage.client.query({ query: sql, format: 'JSONEachRow' });
  return Number((await rs.json<{ n: string }>())[0]?.n);
}

describe('WAL replay after a crash mid-batch', () => {
  it('re-inserts an interrupted batch under its token without counting it twice', async () => {
    const walDir = join(dir, 'wal');
    const payload = encodeNativeBlock(SPAN_SINK.columns, spans(12));

    // The run that "crashes": the batch is logged, inserted, but never marked done.
    const first = await Wal.open(walDir, 1 << 20);
    const id = await first.wal.appendData(SPAN_SINK.id, 12, payload);
    await first.wal.appendIntent('batch-token-1', [id]);
    await storage.insertNative(SPAN_SINK.table, SPAN_SINK.columns.map((c) => c.name), [payload], 'batch-token-1');
    await first.wal.close();
    expect(await count("SELECT count() AS n FROM agentflow.otel_traces WHERE ServiceName = 'replay-test'")).toBe(12);

    // The restart.
    const second = await Wal.open(walDir, 1 << 20);
    expect(second.recovered.batches.map((b) => b.token)).toEqual(['batch-token-1']);
    const parsed = parseConfig({ AGENTFLOW_DATA_DIR: join(dir, 'data') });
    if (!parsed.ok) throw new Error('config');
    const writer = new BatchWriter(storage, second.wal, parsed.config.writer, pino({ level: 'silent' }), async () => {});
    writer.recover(second.recovered, [SPAN_SINK, LOG_SINK] as RowSink<never>[]);
    await writer.flush();
    await writer.stop(5_000);
    await second.wal.close();

    expect(await count("SELECT count() AS n FROM agentflow.otel_traces WHERE ServiceName = 'replay-test'")).toBe(12);
    expect(await count("SELECT count() AS n FROM agentflow.otel_traces_trace_id_ts WHERE TraceId LIKE 'aaaa%'")).toBe(3);
    // Marked done this time: a third start has nothing left to do.
    const third = await Wal.open(walDir, 1 << 20);
    expect(third.recovered).toEqual({ batches: [], records: [] });
    await third.wal.close();
  });
});
