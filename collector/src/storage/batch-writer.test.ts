import { describe, expect, it } from 'vitest';
import type { WriterConfig } from '../config.js';
import { BatchWriter, type RowBinaryInserter, type RowSink } from './batch-writer.js';

const SINK: RowSink<string> = { table: 't', columns: ['s'], encode: (w, row) => w.string(row) };
const CONFIG: WriterConfig = { batchRows: 3, minBatchRows: 3, flushMs: 20, concurrency: 1, maxQueueRows: 10, maxQueueBytes: 1 << 20, maxRetries: 2 };
const silent = { debug() {}, warn() {}, error() {} };

/** Records inserts; fails the first `failures` calls with `error`. */
function fakeInserter(failures = 0, error: Error = retryable()) {
  const inserts: { table: string; payload: Buffer }[] = [];
  let calls = 0;
  const inserter: RowBinaryInserter & { inserts: typeof inserts; release?: () => void } = {
    inserts,
    async insertRowBinary(table, _columns, payload) {
      calls++;
      if (calls <= failures) throw error;
      inserts.push({ table, payload: Buffer.from(payload) });
    },
  };
  return inserter;
}

function retryable(): Error {
  return Object.assign(new Error('too many parts'), { code: '252' });
}

describe('BatchWriter', () => {
  it('seals a batch when it reaches batchRows and resolves every waiter once committed', async () => {
    const storage = fakeInserter();
    const writer = new BatchWriter(storage, { ...CONFIG, flushMs: 60_000 }, silent);
    const outcomes = await Promise.all([writer.write(SINK, ['a', 'b']), writer.write(SINK, ['c'])]);
    expect(outcomes).toEqual([{ status: 'committed' }, { status: 'committed' }]);
    expect(storage.inserts).toHaveLength(1);
    // RowBinary strings: one length byte, then the bytes.
    expect([...(storage.inserts[0]?.payload ?? [])]).toEqual([1, 97, 1, 98, 1, 99]);
    await writer.stop(1000);
  });

  it('inserts a batch of minBatchRows at once while a slot is free, and gathers rows while inserts run', async () => {
    let release: () => void = () => {};
    const inserted: number[] = [];
    const storage: RowBinaryInserter = {
      async insertRowBinary(_t, _c, payload) {
        inserted.push(payload.length / 2);
        if (inserted.length === 1) await new Promise<void>((r) => (release = r));
      },
    };
    const writer = new BatchWriter(storage, { ...CONFIG, batchRows: 100, minBatchRows: 2, flushMs: 60_000 }, silent);
    const first = writer.write(SINK, ['a', 'b']); // slot free: sealed and inserted at once
    await Promise.resolve();
    const gathered = [writer.write(SINK, ['c', 'd']), writer.write(SINK, ['e'])]; // slot busy: gathered
    expect(inserted).toEqual([2]);
    release();
    expect(await first).toEqual({ status: 'committed' });
    expect(await Promise.all(gathered)).toEqual([{ status: 'committed' }, { status: 'committed' }]);
    expect(inserted).toEqual([2, 3]);
    await writer.stop(1000);
  });

  it('flushes a partial batch after flushMs', async () => {
    const storage = fakeInserter();
    const writer = new BatchWriter(storage, CONFIG, silent);
    const started = Date.now();
    expect(await writer.write(SINK, ['a'])).toEqual({ status: 'committed' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(storage.inserts).toHaveLength(1);
    await writer.stop(1000);
  });

  it('answers overloaded without queueing once the row cap would be passed', async () => {
    const storage = fakeInserter();
    const writer = new BatchWriter(storage, { ...CONFIG, batchRows: 100, minBatchRows: 100, flushMs: 50 }, silent);
    const first = writer.write(SINK, Array.from({ length: 8 }, () => 'x'));
    expect(await writer.write(SINK, ['y', 'z', 'w'])).toEqual({ status: 'overloaded', retryAfterSeconds: 1 });
    expect(writer.stats().queuedRows).toBe(8);
    expect(await first).toEqual({ status: 'committed' });
    expect(writer.stats().queuedRows).toBe(0);
    await writer.stop(1000);
  });

  it('retries a retryable failure and then commits', async () => {
    const storage = fakeInserter(2);
    const writer = new BatchWriter(storage, CONFIG, silent);
    expect(await writer.write(SINK, ['a', 'b', 'c'])).toEqual({ status: 'committed' });
    expect(writer.stats()).toMatchObject({ retries: 2, committedRows: 3, failedRows: 0 });
    await writer.stop(1000);
  });

  it('answers unavailable when retries run out, so the exporter retries later', async () => {
    const storage = fakeInserter(10);
    const writer = new BatchWriter(storage, { ...CONFIG, maxRetries: 1 }, silent);
    const outcome = await writer.write(SINK, ['a', 'b', 'c']);
    expect(outcome).toMatchObject({ status: 'unavailable', retryAfterSeconds: 5 });
    expect(writer.stats()).toMatchObject({ failedRows: 3, queuedRows: 0 });
    await writer.stop(1000);
  });

  it('does not retry an error that will fail the same way again', async () => {
    const storage = fakeInserter(1, Object.assign(new Error('type mismatch'), { code: '53' }));
    const writer = new BatchWriter(storage, CONFIG, silent);
    expect(await writer.write(SINK, ['a', 'b', 'c'])).toEqual({ status: 'failed', message: 'type mismatch' });
    expect(writer.stats().retries).toBe(0);
    await writer.stop(1000);
  });

  it('stop() flushes open batches, then refuses new writes; calling it twice is harmless', async () => {
    const storage = fakeInserter();
    const writer = new BatchWriter(storage, { ...CONFIG, flushMs: 60_000 }, silent);
    const pending = writer.write(SINK, ['a']);
    await Promise.all([writer.stop(1000), writer.stop(1000)]);
    expect(await pending).toEqual({ status: 'committed' });
    expect(await writer.write(SINK, ['b'])).toMatchObject({ status: 'unavailable' });
  });
});
