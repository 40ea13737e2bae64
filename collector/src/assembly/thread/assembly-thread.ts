import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Detected, SpanRow } from '@agentflow/schemas';
import type { WriteOutcome } from '../../errors.js';
import type { StoredExport } from '../../receiver/index.js';
import type { RowSink } from '../../storage/batch-writer.js';
import type { AssemblyStats } from '../assembler.js';
import { ownedBuffer, PortRpc } from './port-rpc.js';
import { KIND, type AssemblyWorkerData, type ConsumedMessage, type DetectedMessage, type LoadMessage, type LogMessage, type StartsMessage, type WriteMessage } from './protocol.js';

/** What the assembly thread needs from the main thread. */
export interface AssemblyThreadDeps {
  writer: { writeEncoded(sink: RowSink<never>, rowCount: number, payload: Buffer): Promise<WriteOutcome> };
  /** The sinks derived rows are written to, found by id. */
  sinks: readonly RowSink<never>[];
  loadSpans(tenantId: string, traceIds: readonly string[]): Promise<SpanRow[]>;
  /** Anomalies the thread's live detection found or changed, with running sessions' figures. */
  detected(found: Detected): void;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };
}

export interface AssemblyThreadOptions {
  data: AssemblyWorkerData;
  /** Bodies handed over but not yet read by the thread, in bytes, past which {@link AssemblyThread.isBehind} says so. */
  maxPendingBytes: number;
  /** Wait before a thread that died is started again. */
  restartDelayMs?: number;
}

// Resolved through the package's `imports` map: the built file, whether this module runs built or from source (tests).
const WORKER_SCRIPT = createRequire(import.meta.url).resolve('#assembly-worker');

/**
 * Trace assembly on a thread of its own. Mapping, buffering and derivation are most of the
 * JavaScript work per span and hold the largest long-lived heap (the open traces); on the thread
 * that answers exports they made exporters wait on them and on their garbage collection. Here the
 * receiver hands over each stored export's body, and derived rows come back as encoded blocks for
 * the collector's one writer. If the thread dies it is started again (what it held is lost until
 * `agentflow rebuild`, as after a crash).
 */
export class AssemblyThread {
  private worker: Worker | undefined;
  private rpc: PortRpc | undefined;
  private pendingBytes = 0;
  private stopped = false;
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AssemblyThreadDeps, private readonly options: AssemblyThreadOptions) {}

  start(): void {
    if (this.worker || this.stopped) return;
    const worker = new Worker(WORKER_SCRIPT, { workerData: this.options.data });
    const rpc = new PortRpc(
      worker,
      {
        [KIND.WRITE]: ({ sinkId, rows, payload }: WriteMessage) => {
          const sink = this.deps.sinks.find((s) => s.id === sinkId);
          if (!sink) throw new Error(`no sink with id ${sinkId}`);
          return this.deps.writer.writeEncoded(sink, rows, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
        },
        [KIND.LOAD]: ({ tenantId, traceIds }: LoadMessage) => this.deps.loadSpans(tenantId, traceIds),
        [KIND.LOG]: ({ level, fields, message }: LogMessage) => this.deps.log[level](fields, message),
        [KIND.CONSUMED]: ({ bytes }: ConsumedMessage) => {
          this.pendingBytes -= bytes;
        },
        [KIND.DETECTED]: (found: DetectedMessage) => this.deps.detected(found),
      },
      (err) => this.deps.log.error({ err }, 'assembly thread message failed'),
    );
    this.worker = worker;
    this.rpc = rpc;
    this.exited = new Promise((resolve) => {
      worker.on('error', (err) => this.deps.log.error({ err }, 'assembly thread failed'));
      worker.on('exit', (code) => {
        rpc.failAll('assembly thread exited');
        this.worker = undefined;
        this.rpc = undefined;
        this.pendingBytes = 0;
        resolve();
        if (!this.stopped) {
          this.deps.log.error({ code }, 'assembly thread exited; starting it again (run agentflow rebuild to re-derive the traces it held)');
          setTimeout(() => this.start(), this.options.restartDelayMs ?? 1_000).unref();
        }
      });
    });
  }

  /** Whether the thread is too far behind to be handed another export now. */
  isBehind(): boolean {
    return this.pendingBytes >= this.options.maxPendingBytes;
  }

  /** Hands a stored export over (its body is moved to the thread, not copied, when it can be). */
  add(exported: StoredExport): void {
    if (!this.rpc || this.stopped) return;
    const buffer = ownedBuffer(exported.body);
    this.pendingBytes += buffer.byteLength;
    this.rpc.notify(KIND.EXPORT, { format: exported.format, tenantId: exported.tenantId, body: new Uint8Array(buffer) }, [buffer]);
  }

  /** Tells the thread which agents started (from their start records): it names running sessions by them. */
  starts(starts: StartsMessage['starts']): void {
    if (!this.rpc || this.stopped || starts.length === 0) return;
    this.rpc.notify(KIND.STARTS, { starts } satisfies StartsMessage);
  }

  stats(): Promise<AssemblyStats> {
    return this.call<AssemblyStats>(KIND.STATS);
  }

  /** Derives every buffered trace now, settled or not, and waits until its rows are written. */
  settleAll(): Promise<void> {
    return this.call<void>(KIND.SETTLE);
  }

  /** Derives what is buffered, waits for its rows to be written, and ends the thread. Idempotent. */
  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      if (this.rpc) await this.rpc.call(KIND.STOP, undefined).catch((err: unknown) => this.deps.log.error({ err }, 'assembly thread did not stop cleanly'));
      // Its rows are written and nothing is buffered: end it rather than wait for its loop to empty.
      await this.worker?.terminate();
    }
    await this.exited;
  }

  private call<T>(kind: string): Promise<T> {
    if (!this.rpc) return Promise.reject(new Error('assembly thread is not running'));
    return this.rpc.call<T>(kind, undefined);
  }
}
