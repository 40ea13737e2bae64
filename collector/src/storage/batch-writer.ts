import type { WriterConfig } from '../config.js';
import type { WriteOutcome } from '../errors.js';
import { RowBinaryWriter } from './row-binary-writer.js';
import { isRetryableStorageError } from './errors.js';

/** Where one kind of row goes: its table, its columns, and how one row is encoded. */
export interface RowSink<Row> {
  table: string;
  columns: readonly string[];
  encode(w: RowBinaryWriter, row: Row): void;
}

/** The one call the writer needs from storage (a port, so tests can pass a fake). */
export interface RowBinaryInserter {
  insertRowBinary(table: string, columns: readonly string[], payload: Buffer): Promise<void>;
}

/** What the writer holds right now, for health checks and logs. */
export interface WriterStats {
  queuedRows: number;
  queuedBytes: number;
  inFlight: number;
  committedRows: number;
  failedRows: number;
  retries: number;
}

/** Minimal logger port (pino's shape). */
export interface WriterLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

type Resolve = (outcome: WriteOutcome) => void;

interface Batch {
  sink: RowSink<never>;
  w: RowBinaryWriter;
  rows: number;
  waiters: Resolve[];
}

const OVERLOAD_RETRY_AFTER_S = 1;
const UNAVAILABLE_RETRY_AFTER_S = 5;
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 5_000;

/**
 * Bounded, batching writer. Each `write` encodes its rows into the open batch of their table and
 * resolves once that batch is committed, so an export is acknowledged only after its rows are in
 * ClickHouse. A batch is sealed at `batchRows` rows, or at `minBatchRows` as soon as an insert slot
 * is free (group commit: under load, rows gather while inserts run, so batches grow with the load
 * and latency stays one insert long), or `flushMs` after its first row; at most `concurrency`
 * inserts run at once; retryable failures are retried with exponential backoff.
 * Accepted-but-uncommitted rows and bytes are capped: past the cap `write` answers `overloaded`
 * at once instead of growing memory.
 */
export class BatchWriter {
  private readonly open = new Map<string, Batch>();
  private readonly sealed: Batch[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private drained: Promise<void> | undefined;
  private onIdle: (() => void) | undefined;
  private readonly s: WriterStats = { queuedRows: 0, queuedBytes: 0, inFlight: 0, committedRows: 0, failedRows: 0, retries: 0 };

  constructor(
    private readonly storage: RowBinaryInserter,
    private readonly config: WriterConfig,
    private readonly log: WriterLogger,
  ) {}

  /** A snapshot of the counters. */
  stats(): WriterStats {
    return { ...this.s };
  }

  /** Queues rows for `sink`; resolves with the outcome once they are committed or refused. */
  write<Row>(sink: RowSink<Row>, rows: readonly Row[]): Promise<WriteOutcome> {
    if (rows.length === 0) return Promise.resolve({ status: 'committed' });
    if (this.stopping) {
      return Promise.resolve({ status: 'unavailable', retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_S, message: 'collector is shutting down' });
    }
    const { maxQueueRows, maxQueueBytes, batchRows } = this.config;
    if (this.s.queuedRows + rows.length > maxQueueRows || this.s.queuedBytes >= maxQueueBytes) {
      return Promise.resolve({ status: 'overloaded', retryAfterSeconds: OVERLOAD_RETRY_AFTER_S });
    }
    const batch = this.openBatch(sink as RowSink<never>);
    const before = batch.w.length;
    for (const row of rows) sink.encode(batch.w, row);
    batch.rows += rows.length;
    this.s.queuedRows += rows.length;
    this.s.queuedBytes += batch.w.length - before;
    const done = new Promise<WriteOutcome>((resolve) => batch.waiters.push(resolve));
    if (batch.rows >= batchRows || (batch.rows >= this.config.minBatchRows && this.hasFreeSlot())) this.seal(sink.table);
    else this.armTimer();
    return done;
  }

  /**
   * Seals every open batch and waits until all accepted rows are committed or given up on.
   * After `deadlineMs` the rows still waiting are answered `unavailable` (their exporters retry).
   * Idempotent: later calls return the same promise.
   */
  stop(deadlineMs: number): Promise<void> {
    if (this.drained) return this.drained;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    for (const table of [...this.open.keys()]) this.seal(table);
    this.drained = new Promise<void>((resolve) => {
      const deadline = setTimeout(() => {
        for (const batch of this.sealed.splice(0)) this.settle(batch, { status: 'unavailable', retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_S, message: 'collector stopped before the insert ran' });
        resolve();
      }, deadlineMs);
      deadline.unref();
      this.onIdle = () => {
        clearTimeout(deadline);
        resolve();
      };
      this.checkIdle();
    });
    return this.drained;
  }

  private openBatch(sink: RowSink<never>): Batch {
    let batch = this.open.get(sink.table);
    if (!batch) {
      batch = { sink, w: new RowBinaryWriter(), rows: 0, waiters: [] };
      this.open.set(sink.table, batch);
    }
    return batch;
  }

  private armTimer(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const table of [...this.open.keys()]) this.seal(table);
    }, this.config.flushMs);
  }

  private seal(table: string): void {
    const batch = this.open.get(table);
    if (!batch) return;
    this.open.delete(table);
    if (this.open.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.sealed.push(batch);
    this.pump();
  }

  private hasFreeSlot(): boolean {
    return this.s.inFlight + this.sealed.length < this.config.concurrency;
  }

  /** Seals open batches that gathered `minBatchRows` while every insert slot was busy. */
  private sealGathered(): void {
    for (const [table, batch] of [...this.open]) {
      if (!this.hasFreeSlot()) return;
      if (batch.rows >= this.config.minBatchRows) this.seal(table);
    }
  }

  private pump(): void {
    while (this.s.inFlight < this.config.concurrency && this.sealed.length > 0) {
      const batch = this.sealed.shift() as Batch;
      this.s.inFlight++;
      void this.insert(batch).finally(() => {
        this.s.inFlight--;
        this.sealGathered();
        this.pump();
        this.checkIdle();
      });
    }
  }

  private async insert(batch: Batch): Promise<void> {
    const payload = batch.w.bytes();
    for (let attempt = 0; ; attempt++) {
      try {
        const started = performance.now();
        await this.storage.insertRowBinary(batch.sink.table, batch.sink.columns, payload);
        this.log.debug({ table: batch.sink.table, rows: batch.rows, bytes: payload.length, ms: Math.round(performance.now() - started) }, 'batch inserted');
        this.s.committedRows += batch.rows;
        this.settle(batch, { status: 'committed' });
        return;
      } catch (err) {
        const retryable = isRetryableStorageError(err);
        if (retryable && attempt < this.config.maxRetries) {
          this.s.retries++;
          this.log.warn({ err, table: batch.sink.table, rows: batch.rows, attempt }, 'insert failed, retrying');
          await sleep(backoffMs(attempt));
          continue;
        }
        this.s.failedRows += batch.rows;
        this.log.error({ err, table: batch.sink.table, rows: batch.rows, attempt }, 'insert failed');
        const message = err instanceof Error ? err.message : String(err);
        this.settle(
          batch,
          retryable
            ? { status: 'unavailable', retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_S, message }
            : { status: 'failed', message },
        );
        return;
      }
    }
  }

  private settle(batch: Batch, outcome: WriteOutcome): void {
    this.s.queuedRows -= batch.rows;
    this.s.queuedBytes -= batch.w.length;
    for (const resolve of batch.waiters) resolve(outcome);
    batch.waiters = [];
  }

  private checkIdle(): void {
    if (this.onIdle && this.s.inFlight === 0 && this.sealed.length === 0 && this.open.size === 0) this.onIdle();
  }
}

function backoffMs(attempt: number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  // Full jitter: collectors retrying against one recovering server should not retry in lockstep.
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
