import { describe, expect, it } from 'vitest';
import type { WriterConfig } from '../config.js';
import { BatchWriter, type NativeInserter, type RowSink, type WriteAheadLog } from './batch-writer.js';
import { column, encodeNativeBlock, STRING } from './native-block.js';

const SINK: RowSink<string> = { id: 1, table: 't', columns: [column('s', STRING, (row: string) => row)] };
/** Rows in an insert: each part is one export's Native block, whose second byte is its row count here. */
const rowsIn = (parts: readonly Buffer[]) => parts.reduce((n, p) => n + (p[1] as number), 0);
const CONFIG: WriterConfig = {
  batchRows: 3, minBatchRows: 3, flushMs: 20, concurrency: 1, maxQueueRows: 10, maxQueueBytes: 1 << 20, maxRetries: 2,
  walDir: 'unused', walSegmentBytes: 1 << 20,
};
const silent = { debug() {}, warn() {}, error() {} };
const noPoison = async () => {};

/** An in-memory WAL that records what was logged. */
function fakeWal() {
  let next = 1;
  const log: string[] = [];
  const wal: WriteAheadLog & { log: string[] } = {
    log,
    async appendData(_sinkId, rows) {
      log.push(`data ${rows}`);
      return next++;
    },
    async appendIntent(_token, ids) {
      log.push(`intent ${ids.join(',')}`);
      return next++;
    },
    async complete(_token, _intent, ids) {
      log.push(`done ${ids.join(',')}`);
    },
  };
  return wal;
}

/** Records inserts; fails the first `failures` calls with `error`. */
function fakeInserter(failures = 0, error: Error = retryable()) {
  const inserts: { payload: Buffer; token: string }[] = [];
  let calls = 0;
  const inserter: NativeInserter & { inserts: typeof inserts } = {
    inserts,
    async insertNative(_table, _columns, parts, token) {
      calls++;
      if (calls <= failures) throw error;
      inserts.push({ payload: Buffer.concat(parts), token });
    },
  };
  return inserter;
}

function retryable(): Error {
  return Object.assign(new Error('too many parts'), { code: '252' });
}

/** Resolves once the writer has nothing queued. */
async function settled(writer: BatchWriter): Promise<void> {
  for (let i = 0; i < 200 && writer.stats().queuedRows > 0; i++) await new Promise((r) => setTimeout(r, 5));
}

describe('BatchWriter', () => {
  it('acknowledges once the rows are in the WAL, then inserts them as one batch under a logged intent', async () => {
    const storage = fakeInserter();
    const wal = fakeWal();
    const writer = new BatchWriter(storage, wal, { ...CONFIG, flushMs: 60_000 }, silent, noPoison);
    const outcomes = await Promise.all([writer.write(SINK, ['a', 'b']), writer.write(SINK, ['c'])]);
    expect(outcomes).toEqual([{ status: 'committed' }, { status: 'committed' }]);
    await settled(writer);
    expect(storage.inserts).toHaveLength(1);
    // One Native block per export, concatenated in the order the exports were logged.
    expect(storage.inserts[0]?.payload).toEqual(Buffer.concat([encodeNativeBlock(SINK.columns, ['a', 'b']), encodeNativeBlock(SINK.columns, ['c'])]));
    expect(wal.log).toEqual(['data 2', 'data 1', 'intent 1,2', 'done 1,2']);
    await writer.stop(1000);
  });

  it('inserts a batch of minBatchRows at once while a slot is free, and gathers rows while inserts run', async () => {
    let release: () => void = () => {};
    const inserted: number[] = [];
    const storage: NativeInserter = {
      async insertNative(_t, _c, parts) {
        inserted.push(rowsIn(parts));
        if (inserted.length === 1) await new Promise<void>((r) => (release = r));
      },
    };
    const writer = new BatchWriter(storage, fakeWal(), { ...CONFIG, batchRows: 100, minBatchRows: 2, flushMs: 60_000 }, silent, noPoison);
    await writer.write(SINK, ['a', 'b']); // slot free: sealed and inserted at once
    await new Promise((r) => setTimeout(r, 5));
    await writer.write(SINK, ['c', 'd']); // slot busy: gathered
    await writer.write(SINK, ['e']);
    expect(inserted).toEqual([2]);
    release();
    await settled(writer);
    expect(inserted).toEqual([2, 3]);
    await writer.stop(1000);
  });

  it('flushes a partial batch after flushMs', async () => {
    const storage = fakeInserter();
    const writer = new BatchWriter(storage, fakeWal(), CONFIG, silent, noPoison);
    await writer.write(SINK, ['a']);
    expect(storage.inserts).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 40));
    await settled(writer);
    expect(storage.inserts).toHaveLength(1);
    await writer.stop(1000);
  });

  it('answers overloaded without queueing once the row cap would be passed', async () => {
    const storage = fakeInserter();
    const writer = new BatchWriter(storage, fakeWal(), { ...CONFIG, batchRows: 100, minBatchRows: 100, flushMs: 50 }, silent, noPoison);
    await writer.write(SINK, Array.from({ length: 8 }, () => 'x'));
    expect(await writer.write(SINK, ['y', 'z', 'w'])).toEqual({ status: 'overloaded', retryAfterSeconds: 1 });
    expect(writer.stats().queuedRows).toBe(8);
    await settled(writer);
    expect(writer.stats().queuedRows).toBe(0);
    expect(await writer.write(SINK, ['y', 'z', 'w'])).toEqual({ status: 'committed' });
    await writer.stop(1000);
  });

  it('retries a retryable failure with the same dedup token, then commits', async () => {
    const storage = fakeInserter(2);
    const writer = new BatchWriter(storage, fakeWal(), CONFIG, silent, noPoison);
    await writer.write(SINK, ['a', 'b', 'c']);
    await settled(writer);
    expect(writer.stats()).toMatchObject({ retries: 2, committedRows: 3, failedRows: 0, storageFailing: false });
    expect(storage.inserts).toHaveLength(1);
    await writer.stop(1000);
  });

  it('while storage keeps failing, a full queue answers unavailable rather than overloaded', async () => {
    const storage = fakeInserter(1_000);
    const writer = new BatchWriter(storage, fakeWal(), { ...CONFIG, maxRetries: 0, maxQueueRows: 3 }, silent, noPoison);
    await writer.write(SINK, ['a', 'b', 'c']);
    for (let i = 0; i < 100 && !writer.stats().storageFailing; i++) await new Promise((r) => setTimeout(r, 5));
    expect(await writer.write(SINK, ['d'])).toMatchObject({ status: 'unavailable', retryAfterSeconds: 5 });
    await writer.stop(50);
  });

  it('sets aside a batch ClickHouse refuses for good instead of retrying it forever', async () => {
    const storage = fakeInserter(1, Object.assign(new Error('type mismatch'), { code: '53' }));
    const poisoned: string[] = [];
    const writer = new BatchWriter(storage, fakeWal(), CONFIG, silent, async (table, _token, parts) => {
      poisoned.push(`${table}:${rowsIn(parts)}`);
    });
    await writer.write(SINK, ['a', 'b', 'c']);
    await settled(writer);
    expect(poisoned).toEqual(['t:3']);
    expect(writer.stats()).toMatchObject({ retries: 0, failedRows: 3, queuedRows: 0 });
    await writer.stop(1000);
  });

  it('stop() inserts open batches, then refuses new writes; calling it twice is harmless', async () => {
    const storage = fakeInserter();
    const writer = new BatchWriter(storage, fakeWal(), { ...CONFIG, flushMs: 60_000 }, silent, noPoison);
    await writer.write(SINK, ['a']);
    await Promise.all([writer.stop(1000), writer.stop(1000)]);
    expect(storage.inserts).toHaveLength(1);
    expect(await writer.write(SINK, ['b'])).toMatchObject({ status: 'unavailable' });
  });
});

describe('BatchWriter with a sink that is not logged', () => {
  it('inserts its rows without touching the write-ahead log', async () => {
    const storage = fakeInserter();
    const wal = fakeWal();
    const writer = new BatchWriter(storage, wal, CONFIG, silent, noPoison);
    await writer.write({ ...SINK, durable: false }, ['a', 'b', 'c']);
    await settled(writer);
    expect(storage.inserts).toHaveLength(1);
    expect(storage.inserts[0]?.token).toMatch(/^[0-9a-f-]{36}$/);
    expect(wal.log).toEqual([]);
    await writer.stop(1000);
  });
});
