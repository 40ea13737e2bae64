import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlertPayload } from './alert-payload.js';

/** A delivery waiting to be made: enough to make it again after a restart (the rule supplies URL and headers). */
export interface StoredDelivery {
  id: string;
  rule: string;
  /** The `Idempotency-Key` header: the same on every attempt, across restarts. */
  key: string;
  /** When it was enqueued, ms. */
  at: number;
  body: AlertPayload;
}

/** The last alert a rule sent for a session (see `rateKey`), which holds back the next until the interval passes. */
export interface SentMark {
  /** The rate key: rule, tenant and session. */
  k: string;
  rule: string;
  /** When it was sent (enqueued), ms. */
  at: number;
  /** The anomaly sent and its version, decimal: the same version is never sent twice. */
  a: string;
  v: string;
}

/** One line of the journal: enqueued (`q`), done (`d`: delivered or given up), sent mark (`s`). */
export type JournalRecord = ({ t: 'q' } & StoredDelivery) | { t: 'd'; id: string } | ({ t: 's' } & SentMark);

/** The whole state a compaction writes in place of the log that led to it. */
export interface JournalSnapshot {
  deliveries: readonly StoredDelivery[];
  marks: readonly SentMark[];
}

/** What the journal held at open: undelivered deliveries in enqueue order, the latest mark per key, lines it could not read. */
export interface RecoveredAlerts extends JournalSnapshot {
  unreadable: number;
}

const FILE = 'alerts.jsonl';

/**
 * Append-only journal of the alert queue, as JSON lines: what was enqueued, what is done, when
 * each rule and session last sent. Appends are group-committed: lines appended in one turn of the
 * event loop go out in one write and one fdatasync, so `append` stays synchronous and cheap for
 * the dispatcher. Compaction rewrites the file as a snapshot (temporary file, fsync, rename), so
 * a crash mid-compaction leaves either the old or the new file, never half of one.
 */
export class AlertJournal {
  private handle: FileHandle | undefined;
  private buffer: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;
  private bytes = 0;
  /** Size of the last snapshot written: the file is compacted again only once it has doubled (or passed maxBytes). */
  private snapshotBytes = 0;
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    private readonly snapshot: () => JournalSnapshot,
    private readonly onError: (err: unknown) => void,
  ) {}

  /**
   * Reads what `dir` holds (created if missing). `snapshot` gives the current state for a
   * compaction, which also runs once the file grows past `maxBytes`; write errors go to
   * `onError` (the queue goes on in memory).
   */
  static async open(dir: string, options: { maxBytes: number; snapshot: () => JournalSnapshot; onError: (err: unknown) => void }): Promise<{ journal: AlertJournal; recovered: RecoveredAlerts }> {
    await mkdir(dir, { recursive: true });
    let text = '';
    try {
      text = await readFile(join(dir, FILE), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const journal = new AlertJournal(dir, options.maxBytes, options.snapshot, options.onError);
    return { journal, recovered: foldRecords(text) };
  }

  /** Queues a record for the next group commit. Ignored once closed. */
  append(record: JournalRecord): void {
    if (this.closed) return;
    this.buffer.push(`${JSON.stringify(record)}\n`);
    if (this.scheduled) return;
    this.scheduled = true;
    this.chain = this.chain.then(() => this.commit());
  }

  /** Rewrites the file from the current snapshot, after the appends queued before it. */
  compact(): Promise<void> {
    this.chain = this.chain.then(() => this.rewrite());
    return this.chain;
  }

  /** Compacts one last time and closes the file; later appends are ignored. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.compact().then(async () => {
      this.closed = true;
      await this.chain;
      await this.handle?.close().catch(this.onError);
      this.handle = undefined;
    });
    return this.closing;
  }

  private async commit(): Promise<void> {
    this.scheduled = false;
    const text = this.buffer.splice(0).join('');
    if (text === '') return;
    try {
      this.handle ??= await open(join(this.dir, FILE), 'a');
      await this.handle.write(text);
      await this.handle.datasync();
      this.bytes += Buffer.byteLength(text);
    } catch (err) {
      this.onError(err);
    }
    // Compacting only past twice the last snapshot keeps the cost per append constant even when
    // the snapshot itself (many sessions within their interval) is larger than maxBytes.
    if (this.bytes > Math.max(this.maxBytes, 2 * this.snapshotBytes)) await this.rewrite();
  }

  private async rewrite(): Promise<void> {
    // Whatever is still buffered is in the snapshot too: the state it records has already changed.
    this.buffer.splice(0);
    const { deliveries, marks } = this.snapshot();
    const lines = [...deliveries.map((d) => ({ t: 'q', ...d })), ...marks.map((m) => ({ t: 's', ...m }))].map((r) => `${JSON.stringify(r)}\n`).join('');
    const path = join(this.dir, FILE);
    try {
      await this.handle?.close();
      this.handle = undefined;
      const tmp = await open(`${path}.tmp`, 'w');
      try {
        await tmp.write(lines);
        await tmp.sync();
      } finally {
        await tmp.close();
      }
      await rename(`${path}.tmp`, path);
      // The rename is durable only once the directory's entry is.
      const dirHandle = await open(this.dir, 'r');
      await dirHandle.sync().finally(() => dirHandle.close());
      this.bytes = Buffer.byteLength(lines);
      this.snapshotBytes = this.bytes;
    } catch (err) {
      this.onError(err);
    }
  }
}

/** Replays the journal's lines: later lines win; a torn last line (a crash mid-write) is skipped and counted. */
function foldRecords(text: string): RecoveredAlerts {
  const deliveries = new Map<string, StoredDelivery>();
  const marks = new Map<string, SentMark>();
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let r: JournalRecord;
    try {
      r = JSON.parse(line) as JournalRecord;
    } catch {
      unreadable++;
      continue;
    }
    if (r.t === 'q' && typeof r.id === 'string' && typeof r.rule === 'string' && typeof r.key === 'string' && typeof r.body === 'object' && r.body !== null) {
      const { t: _, ...delivery } = r;
      deliveries.set(r.id, delivery);
    } else if (r.t === 'd' && typeof r.id === 'string') deliveries.delete(r.id);
    else if (r.t === 's' && typeof r.k === 'string' && typeof r.at === 'number') {
      const { t: _, ...mark } = r;
      marks.set(r.k, mark);
    } else unreadable++;
  }
  return { deliveries: [...deliveries.values()], marks: [...marks.values()], unreadable };
}
