import { randomUUID } from 'node:crypto';
import type { WriterConfig } from '../config.js';
import type { WriteOutcome } from '../errors.js';
import { encodeNativeBlock, type NativeColumn } from './native-block.js';
import { isRetryableStorageError } from './errors.js';
import type { RecoveredWork } from './wal/wal.js';
import type { DataRecord } from './wal/wal-format.js';

/** Where one kind of row goes: its WAL id, its table, and its columns. */
export interface RowSink<Row> {
  /** Stable small number naming the sink in the write-ahead log. */
  id: number;
  table: string;
  /** The table's columns and how each is found in a row; rows are encoded as Native blocks of these. */
  columns: readonly NativeColumn<Row>[];
  /** Longest a row of this sink waits for its batch to fill, ms; the writer's `flushMs` when absent. */
  flushMs?: number;
  /** Inserts of sinks with a lower number go first when slots are scarce (raw spans before derived rows). */
  priority?: number;
  /**
   * false: rows skip the write-ahead log. For rows that can be rebuilt from durable ones (derived
   * agent records): a crash loses at most what `rebuild` restores, and ingest saves a log write.
   */
  durable?: boolean;
}

/** The one call the writer needs from storage (a port, so tests can pass a fake). */
export interface NativeInserter {
  /** Inserts Native blocks (`parts` concatenated) in one insert; a repeat with the same `dedupToken` is dropped by ClickHouse. */
  insertNative(table: string, columns: readonly string[], parts: readonly Buffer[], dedupToken: string): Promise<void>;
}

/** What the writer needs from the write-ahead log (a port: see `wal/wal.ts`). */
export interface WriteAheadLog {
  appendData(sinkId: number, rows: number, payload: Buffer): Promise<number>;
  appendIntent(token: string, recordIds: readonly number[]): Promise<number>;
  complete(token: string, intentId: number, recordIds: readonly number[]): Promise<void>;
}

/** What the writer holds right now, for health checks and logs. */
export interface WriterStats {
  queuedRows: number;
  queuedBytes: number;
  inFlight: number;
  committedRows: number;
  failedRows: number;
  retries: number;
  storageFailing: boolean;
}

/** Minimal logger port (pino's shape). */
export interface WriterLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Receives a batch ClickHouse refused for good (not retryable), so its rows are kept, not dropped. */
export type PoisonHandler = (table: string, token: string, parts: readonly Buffer[]) => Promise<void>;

interface Batch {
  sink: RowSink<never>;
  /** When the batch is sealed even if not full (ms since the epoch). */
  deadline: number;
  parts: Buffer[];
  ids: number[];
  rows: number;
  bytes: number;
  token?: string;
  intentId?: number;
}

/** The WAL id of rows and batches of a sink that is not logged. */
const NOT_LOGGED = -1;
const OVERLOAD_RETRY_AFTER_S = 1;
const UNAVAILABLE_RETRY_AFTER_S = 5;
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 5_000;

/**
 * Bounded, batching, write-ahead-logged writer. `write` encodes an export's rows once, appends
 * them to the WAL and resolves `committed` when they are fsynced there: from then on a crash loses
 * nothing. Rows then gather into one batch per table, sealed at `batchRows`, or at `minBatchRows`
 * as soon as an insert slot is free (group commit: under load rows gather while inserts run, so
 * batches grow with the load), or `flushMs` after their first row. At most `concurrency` inserts run
 * at once; retryable failures are retried with backoff for as long as it takes. Accepted but
 * uninserted rows and bytes are capped: past the cap `write` answers `overloaded` (or `unavailable`
 * while storage is failing) at once instead of growing memory.
 */
export class BatchWriter {
  private readonly open = new Map<number, Batch>();
  private readonly sealed: Batch[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private appending = 0;
  private consecutiveFailures = 0;
  private stopping = false;
  private abandon = false;
  private drained: Promise<void> | undefined;
  private onIdle: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private readonly s = { queuedRows: 0, queuedBytes: 0, inFlight: 0, committedRows: 0, failedRows: 0, retries: 0 };

  constructor(
    private readonly storage: NativeInserter,
    private readonly wal: WriteAheadLog,
    private readonly config: WriterConfig,
    private readonly log: WriterLogger,
    private readonly onPoison: PoisonHandler,
  ) {}

  /** A snapshot of the counters. */
  stats(): WriterStats {
    return { ...this.s, storageFailing: this.storageFailing() };
  }

  /** Queues what an earlier run left in the WAL: interrupted batches as they were, loose rows anew. */
  recover(work: RecoveredWork, sinks: readonly RowSink<never>[]): void {
    const sinkOf = (r: DataRecord) => sinks.find((s) => s.id === r.sinkId);
    for (const b of work.batches) {
      const sink = sinkOf(b.records[0] as DataRecord);
      if (!sink) continue;
      const batch = this.newBatch(sink);
      for (const r of b.records) this.addRecord(batch, r.id, r.rows, r.payload);
      batch.token = b.token;
      batch.intentId = b.intentId;
      this.sealed.push(batch);
    }
    for (const r of work.records) {
      const sink = sinkOf(r);
      if (sink) this.addRecord(this.openBatch(sink), r.id, r.rows, r.payload);
    }
    for (const sinkId of [...this.open.keys()]) this.seal(sinkId);
    this.pump();
  }

  /**
   * Accepts rows for `sink`; resolves `committed` once they are durable in the WAL. The rows are
   * encoded at once and not held while the log syncs: an export's decoded rows then die young
   * instead of being promoted to the old generation, which cost the ingest path most of its GC.
   */
  write<Row>(sink: RowSink<Row>, rows: readonly Row[]): Promise<WriteOutcome> {
    const refused = this.refusal(rows.length);
    if (refused) return Promise.resolve(refused);
    const payload = encodeNativeBlock(sink.columns, rows);
    return this.append(sink as RowSink<never>, rows.length, payload);
  }

  /** As {@link write}, for rows already encoded as one Native block of `sink`'s columns (by another thread). */
  writeEncoded(sink: RowSink<never>, rowCount: number, payload: Buffer): Promise<WriteOutcome> {
    return Promise.resolve(this.refusal(rowCount) ?? this.append(sink, rowCount, payload));
  }

  /** Why `rowCount` more rows cannot be taken now, if they cannot; an empty write is committed at once. */
  private refusal(rowCount: number): WriteOutcome | undefined {
    if (rowCount === 0) return { status: 'committed' };
    if (this.stopping) return { status: 'unavailable', retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_S, message: 'collector is shutting down' };
    if (this.s.queuedRows + rowCount > this.config.maxQueueRows || this.s.queuedBytes >= this.config.maxQueueBytes) {
      return this.storageFailing()
        ? { status: 'unavailable', retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_S, message: 'storage is failing and the write-ahead queue is full' }
        : { status: 'overloaded', retryAfterSeconds: OVERLOAD_RETRY_AFTER_S };
    }
    return undefined;
  }

  private async append(sink: RowSink<never>, rowCount: number, payload: Buffer): Promise<WriteOutcome> {
    this.s.queuedRows += rowCount;
    this.s.queuedBytes += payload.length;
    this.appending++;
    let id: number;
    try {
      id = sink.durable === false ? NOT_LOGGED : await this.wal.appendData(sink.id, rowCount, payload);
    } catch (err) {
      this.s.queuedRows -= rowCount;
      this.s.queuedBytes -= payload.length;
      this.log.error({ err }, 'write-ahead log append failed');
      return { status: 'unavailable', retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_S, message: 'write-ahead log is not writable' };
    } finally {
      this.appending--;
    }
    const batch = this.openBatch(sink);
    this.addRecord(batch, id, rowCount, payload);
    const flushing = this.stopping || this.idleWaiters.length > 0;
    if (flushing || batch.rows >= this.config.batchRows || (batch.rows >= this.config.minBatchRows && this.hasFreeSlot())) {
      this.seal(sink.id);
    } else this.armTimer();
    return { status: 'committed' };
  }

  /**
   * Inserts everything accepted so far now, without waiting for batches to fill, and resolves
   * once nothing is queued: then every acknowledged row is visible to queries.
   */
  flush(): Promise<void> {
    for (const sinkId of [...this.open.keys()]) this.seal(sinkId);
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  /**
   * Seals every open batch and waits until all accepted rows are inserted. After `deadlineMs`
   * retries stop and whatever is left stays in the WAL for the next start. Idempotent.
   */
  stop(deadlineMs: number): Promise<void> {
    if (this.drained) return this.drained;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    for (const sinkId of [...this.open.keys()]) this.seal(sinkId);
    this.drained = new Promise<void>((resolve) => {
      const deadline = setTimeout(() => {
        this.abandon = true;
        this.sealed.splice(0);
        this.log.warn({ rows: this.s.queuedRows }, 'shutdown deadline passed; unwritten rows stay in the write-ahead log');
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

  private storageFailing(): boolean {
    return this.consecutiveFailures > this.config.maxRetries;
  }

  private newBatch(sink: RowSink<never>): Batch {
    return { sink, deadline: Date.now() + (sink.flushMs ?? this.config.flushMs), parts: [], ids: [], rows: 0, bytes: 0 };
  }

  private openBatch(sink: RowSink<never>): Batch {
    let batch = this.open.get(sink.id);
    if (!batch) {
      batch = this.newBatch(sink);
      this.open.set(sink.id, batch);
    }
    return batch;
  }

  private addRecord(batch: Batch, id: number, rows: number, payload: Buffer): void {
    batch.parts.push(payload);
    batch.ids.push(id);
    batch.rows += rows;
    batch.bytes += payload.length;
  }

  /** One timer, for the earliest deadline among the open batches. */
  private armTimer(): void {
    let earliest = Infinity;
    for (const batch of this.open.values()) earliest = Math.min(earliest, batch.deadline);
    if (earliest === Infinity || (this.timer && this.timerAt <= earliest)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = earliest;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const now = Date.now();
      for (const [sinkId, batch] of [...this.open]) if (batch.deadline <= now) this.seal(sinkId);
      this.armTimer();
    }, Math.max(0, earliest - Date.now()));
  }

  private seal(sinkId: number): void {
    const batch = this.open.get(sinkId);
    if (!batch) return;
    this.open.delete(sinkId);
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
    for (const [sinkId, batch] of [...this.open]) {
      if (!this.hasFreeSlot()) return;
      if (batch.rows >= this.config.minBatchRows) this.seal(sinkId);
    }
  }

  private pump(): void {
    while (this.s.inFlight < this.config.concurrency && this.sealed.length > 0) {
      const batch = this.takeNextSealed();
      this.s.inFlight++;
      void this.insert(batch).finally(() => {
        this.s.inFlight--;
        this.sealGathered();
        this.pump();
        this.checkIdle();
      });
    }
  }

  /** The oldest sealed batch of the most urgent sink. */
  private takeNextSealed(): Batch {
    let best = 0;
    for (let i = 1; i < this.sealed.length; i++) {
      if (((this.sealed[i] as Batch).sink.priority ?? 0) < ((this.sealed[best] as Batch).sink.priority ?? 0)) best = i;
    }
    return this.sealed.splice(best, 1)[0] as Batch;
  }

  private async insert(batch: Batch): Promise<void> {
    const { table } = batch.sink;
    const columns = batch.sink.columns.map((c) => c.name);
    for (let attempt = 0; !this.abandon; attempt++) {
      try {
        // The intent makes a re-insert after a crash the same block under the same token.
        if (batch.token === undefined || batch.intentId === undefined) {
          const token = randomUUID();
          batch.intentId = batch.sink.durable === false ? NOT_LOGGED : await this.wal.appendIntent(token, batch.ids);
          batch.token = token;
        }
        const started = performance.now();
        await this.storage.insertNative(table, columns, batch.parts, batch.token);
        this.log.debug({ table, rows: batch.rows, bytes: batch.bytes, ms: Math.round(performance.now() - started) }, 'batch inserted');
        this.consecutiveFailures = 0;
        this.s.committedRows += batch.rows;
        await this.finish(batch);
        return;
      } catch (err) {
        if (!isRetryableStorageError(err)) {
          this.log.error({ err, table, rows: batch.rows, token: batch.token }, 'insert refused for good; batch set aside');
          this.s.failedRows += batch.rows;
          await this.onPoison(table, batch.token ?? randomUUID(), batch.parts);
          await this.finish(batch);
          return;
        }
        this.consecutiveFailures++;
        this.s.retries++;
        this.log.warn({ err, table, rows: batch.rows, attempt }, 'insert failed, retrying');
        await sleep(backoffMs(attempt));
      }
    }
  }

  private async finish(batch: Batch): Promise<void> {
    if (batch.token !== undefined && batch.intentId !== undefined && batch.intentId !== NOT_LOGGED) {
      await this.wal.complete(batch.token, batch.intentId, batch.ids).catch((err: unknown) => {
        this.log.warn({ err }, 'could not mark a batch done in the write-ahead log; it will be re-inserted and deduplicated');
      });
    }
    this.s.queuedRows -= batch.rows;
    this.s.queuedBytes -= batch.bytes;
  }

  private checkIdle(): void {
    if (this.s.inFlight > 0 || this.sealed.length > 0 || this.appending > 0) return;
    if (this.open.size > 0) {
      // Rows that arrived while a flush waited: insert them too rather than wait for the timer.
      if (this.idleWaiters.length > 0) for (const sinkId of [...this.open.keys()]) this.seal(sinkId);
      return;
    }
    for (const resolve of this.idleWaiters.splice(0)) resolve();
    this.onIdle?.();
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
