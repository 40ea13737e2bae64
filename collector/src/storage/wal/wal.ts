import { mkdir, open, readdir, readFile, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAll } from '../write-all.js';
import {
  byteLength, decodeSegment, encodeData, encodeDone, encodeIntent, RECORD_TYPE, recordId, segmentOf,
  type DataRecord, type WalRecord,
} from './wal-format.js';

/** What a previous run left unfinished. */
export interface RecoveredWork {
  /** Batches whose insert had begun: re-insert each with the same token, so ClickHouse drops it if it landed. */
  batches: { token: string; intentId: number; records: DataRecord[] }[];
  /** Accepted rows in no batch yet. */
  records: DataRecord[];
}

interface Pending {
  segment: number;
  parts: Buffer[];
  durable: boolean;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const SEGMENT_NAME = /^(\d{10})\.wal$/;

/**
 * Write-ahead log of accepted exports. An export is acknowledged once its rows are here and
 * fsynced, so a crash after the acknowledgement loses nothing: the next start re-inserts what was
 * not yet committed. Before a batch is inserted its composition is logged under a unique
 * token (the ClickHouse `insert_deduplication_token`); after a crash that batch is re-inserted
 * as the same block with the same token, so an insert that had landed is dropped as a duplicate
 * instead of counted twice. Appends are group-committed: one write and one fdatasync for all
 * appends queued while the previous sync ran.
 */
export class Wal {
  private active: number;
  private activeBytes = 0;
  private handle: FileHandle | undefined;
  private handleSegment = -1;
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  /** Open data records and intents per segment; a segment with none left, not being written, is deleted. */
  private readonly outstanding = new Map<number, number>();
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly segmentBytes: number,
    firstSegment: number,
  ) {
    this.active = firstSegment;
  }

  /** Opens the WAL in `dir` (created if missing) and returns what earlier runs left to insert. */
  static async open(dir: string, segmentBytes: number): Promise<{ wal: Wal; recovered: RecoveredWork }> {
    await mkdir(dir, { recursive: true });
    const segments = (await readdir(dir)).map((f) => SEGMENT_NAME.exec(f)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
    const records: WalRecord[] = [];
    for (const segment of segments) {
      const bytes = await readFile(segmentPath(dir, segment));
      const decoded = decodeSegment(segment, bytes);
      // A torn tail is the write a crash interrupted; it was never acknowledged.
      if (decoded.validBytes < bytes.length) await truncate(segmentPath(dir, segment), decoded.validBytes);
      records.push(...decoded.records);
    }
    const wal = new Wal(dir, segmentBytes, (segments.at(-1) ?? 0) + 1);
    const recovered = wal.recover(records);
    for (const segment of segments) await wal.deleteIfFinished(segment);
    return { wal, recovered };
  }

  /** Appends one export's encoded rows; resolves with the record id once they are on disk. */
  async appendData(sinkId: number, rows: number, payload: Buffer): Promise<number> {
    const { id } = await this.append(encodeData(sinkId, rows, payload), true, true);
    return id;
  }

  /** Logs a batch's composition before its insert; resolves with the intent's id once on disk. */
  async appendIntent(token: string, recordIds: readonly number[]): Promise<number> {
    const { id } = await this.append(encodeIntent(token, recordIds), true, true);
    return id;
  }

  /**
   * Marks a batch committed: its data records and intent are finished, and segments left with
   * nothing open are deleted. The done marker needs no fsync: if a crash loses it, the batch is
   * re-inserted with its token and ClickHouse drops the duplicate.
   */
  async complete(token: string, intentId: number, recordIds: readonly number[]): Promise<void> {
    await this.append(encodeDone(token), false, false);
    const touched = new Set<number>([segmentOf(intentId)]);
    this.release(intentId);
    for (const id of recordIds) {
      this.release(id);
      touched.add(segmentOf(id));
    }
    for (const segment of touched) await this.deleteIfFinished(segment);
  }

  /** Flushes what is queued and closes the file. Unfinished records stay for the next start. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushing;
    await this.handle?.close();
    this.handle = undefined;
  }

  /** Queues a record; `opens` counts it as outstanding in its segment until released. */
  private append(parts: Buffer[], durable: boolean, opens: boolean): Promise<{ id: number }> {
    if (this.closed) return Promise.reject(new Error('write-ahead log is closed'));
    const length = byteLength(parts);
    if (this.activeBytes > 0 && this.activeBytes + length > this.segmentBytes) {
      const finished = this.active;
      this.active++;
      this.activeBytes = 0;
      void this.flushThen(() => this.deleteIfFinished(finished));
    }
    const id = recordId(this.active, this.activeBytes);
    this.activeBytes += length;
    if (opens) this.hold(id);
    return new Promise((resolve, reject) => {
      this.queue.push({ segment: this.active, parts, durable, resolve: () => resolve({ id }), reject });
      this.flushing ??= this.flushLoop();
    });
  }

  private async flushThen(fn: () => Promise<void>): Promise<void> {
    await this.flushing;
    await fn();
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const items = this.queue.splice(0);
      try {
        let i = 0;
        while (i < items.length) {
          const segment = (items[i] as Pending).segment;
          let j = i;
          while (j < items.length && (items[j] as Pending).segment === segment) j++;
          const group = items.slice(i, j);
          const handle = await this.handleFor(segment);
          await writeAll(handle, group.flatMap((p) => p.parts));
          if (group.some((p) => p.durable)) await handle.datasync();
          i = j;
        }
        for (const item of items) item.resolve();
      } catch (err) {
        for (const item of items) item.reject(err);
      }
    }
    this.flushing = undefined;
  }

  private async handleFor(segment: number): Promise<FileHandle> {
    if (this.handle && this.handleSegment === segment) return this.handle;
    if (this.handle) {
      await this.handle.datasync();
      await this.handle.close();
    }
    this.handle = await open(segmentPath(this.dir, segment), 'a');
    this.handleSegment = segment;
    return this.handle;
  }

  private release(id: number): void {
    const segment = segmentOf(id);
    this.outstanding.set(segment, (this.outstanding.get(segment) ?? 1) - 1);
  }

  private async deleteIfFinished(segment: number): Promise<void> {
    if (segment === this.active || (this.outstanding.get(segment) ?? 0) > 0) return;
    this.outstanding.delete(segment);
    await unlink(segmentPath(this.dir, segment)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /** Works out what is unfinished and counts it as outstanding in its segment. */
  private recover(records: WalRecord[]): RecoveredWork {
    const data = new Map<number, DataRecord>();
    const intents = new Map<string, { id: number; recordIds: number[] }>();
    const done = new Set<string>();
    for (const r of records) {
      if (r.type === RECORD_TYPE.DATA) data.set(r.id, r);
      else if (r.type === RECORD_TYPE.INTENT) intents.set(r.token, { id: r.id, recordIds: r.recordIds });
      else done.add(r.token);
    }
    const batches: RecoveredWork['batches'] = [];
    const claimed = new Set<number>();
    for (const [token, intent] of intents) {
      for (const id of intent.recordIds) claimed.add(id);
      // A batch with a record already deleted had committed: records are deleted only after that.
      if (done.has(token) || !intent.recordIds.every((id) => data.has(id))) continue;
      batches.push({ token, intentId: intent.id, records: intent.recordIds.map((id) => data.get(id) as DataRecord) });
      this.hold(intent.id);
      for (const id of intent.recordIds) this.hold(id);
    }
    const loose = [...data.values()].filter((r) => !claimed.has(r.id));
    for (const r of loose) this.hold(r.id);
    return { batches, records: loose };
  }

  private hold(id: number): void {
    const segment = segmentOf(id);
    this.outstanding.set(segment, (this.outstanding.get(segment) ?? 0) + 1);
  }
}

function segmentPath(dir: string, segment: number): string {
  return join(dir, `${String(segment).padStart(10, '0')}.wal`);
}
