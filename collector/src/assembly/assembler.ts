import type { DerivedRows, SpanRow } from '@agentflow/schemas';
import type { WriteOutcome } from '../errors.js';
import type { CanonicalSpan } from '../mapping/canonical-span.js';
import type { RowSink } from '../storage/batch-writer.js';
import { createVersionClock } from '../storage/version-clock.js';
import type { CostResolver } from './derive-actions.js';
import { deriveTraceParts, type DerivedTrace } from './derive.js';
import type { QualityOptions } from './quality/index.js';
import type { StartedAgent } from './open-parents.js';
import { TraceBuffer, type OpenTrace, type TraceBufferLimits } from './trace-buffer.js';

/** Assembly settings: the buffer's limits and how often settled traces are looked for. */
export interface AssemblyConfig extends TraceBufferLimits {
  tickMs: number;
}

/** Where each kind of derived row is written. */
export interface AgentSinks {
  sessions: RowSink<DerivedRows['sessions'][number]>;
  actions: RowSink<DerivedRows['actions'][number]>;
  transitions: RowSink<DerivedRows['transitions'][number]>;
  decisions: RowSink<DerivedRows['decisions'][number]>;
  communications: RowSink<DerivedRows['communications'][number]>;
}

/** What the assembler needs (ports: tests pass fakes or the real storage). */
export interface AssemblerDeps {
  writer: { write<Row>(sink: RowSink<Row>, rows: readonly Row[]): Promise<WriteOutcome> };
  sinks: AgentSinks;
  /** Reads stored spans back, for traces that were settled before and got late spans. */
  loadSpans(tenantId: string, traceIds: readonly string[]): Promise<SpanRow[]>;
  toCanonical(row: SpanRow): CanonicalSpan;
  costOf: CostResolver;
  /** How model answers are scored (the detection file's `quality:`); built-in defaults when absent. */
  quality?: QualityOptions | undefined;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };
  now?: () => number;
  /** Hears of traces as they change and settle: the processor's live detection watches them there. */
  observer?: AssemblyObserver | undefined;
  /** What an agent's start record said, for a session whose agent span never came (its trace settled without its root). */
  started?: ((tenantId: string, spanId: string) => StartedAgent | undefined) | undefined;
}

/** Someone who watches traces while they are assembled (streaming detection). */
export interface AssemblyObserver {
  /** A buffered trace got spans. Called synchronously on every add: must be cheap. */
  traceChanged(trace: OpenTrace): void;
  /** A trace settled (or was rebuilt) and was derived from these spans, as `derived`. */
  traceSettled(tenantId: string, traceId: string, spans: readonly CanonicalSpan[], derived: DerivedTrace): void;
}

/** Counters for health and tests. */
export interface AssemblyStats {
  openTraces: number;
  openSpans: number;
  settledTraces: number;
  reloadedTraces: number;
  failedTraces: number;
}

const WRITE_ATTEMPTS = 5;
/**
 * Traces derived between two yields to the event loop (~50 ms of work for agent traces). On the
 * assembly thread a yield lets every export queued meanwhile be buffered first, so small slices
 * made a pass of a few thousand traces take seconds under load.
 */
const TRACES_PER_SLICE = 1_000;
const WRITE_RETRY_MS = 1_000;

/**
 * Turns spans into agent records. Spans are buffered per trace until the trace settles, then
 * the whole trace is derived at once (sessions need their children's totals) and written with a
 * new version, replacing whatever an earlier derivation of the same trace wrote.
 */
export class Assembler {
  private readonly buffer: TraceBuffer;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Versions grow with time, so a later derivation (a rebuild, a late span) always wins. */
  private readonly nextVersion: () => bigint;
  private stopped = false;
  private readonly s = { settledTraces: 0, reloadedTraces: 0, failedTraces: 0 };

  constructor(private readonly deps: AssemblerDeps, private readonly config: AssemblyConfig) {
    this.buffer = new TraceBuffer(config);
    this.now = deps.now ?? Date.now;
    this.nextVersion = createVersionClock(this.now);
  }

  stats(): AssemblyStats {
    const { traces, spans } = this.buffer.size();
    return { openTraces: traces, openSpans: spans, ...this.s };
  }

  /** Buffers stored spans for assembly. Cheap and synchronous: the receiver calls it per export. */
  add(spans: readonly CanonicalSpan[]): void {
    if (this.stopped) return;
    const observer = this.deps.observer;
    const evicted = this.buffer.add(spans, this.now(), observer && ((trace) => observer.traceChanged(trace)));
    if (evicted.length > 0) void this.cycle(() => evicted);
  }

  /** Starts looking for settled traces every `tickMs`. */
  start(): void {
    this.timer ??= setInterval(() => void this.cycle(() => this.buffer.takeSettled(this.now())), this.config.tickMs);
    this.timer.unref();
  }

  /** Derives every buffered trace now, settled or not, and waits until the rows are written. */
  async settleAll(): Promise<void> {
    await this.cycle(() => this.buffer.takeAll());
  }

  /** Stops the timer and derives what is buffered. Idempotent. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.stopped) {
      this.stopped = true;
      await this.settleAll();
    }
    await this.running;
  }

  /** Derives and writes the given traces directly (rebuild): no buffering. */
  async deriveAndWrite(traces: readonly { tenantId: string; traceId: string; spans: readonly CanonicalSpan[] }[]): Promise<void> {
    const rows: DerivedRows = { sessions: [], actions: [], transitions: [], decisions: [], communications: [] };
    for (const trace of traces) this.deriveInto(rows, trace.traceId, trace.spans);
    await this.write(rows);
  }

  /** One pass at a time: a slow write delays the next pass instead of piling passes up. */
  private async cycle(take: () => OpenTrace[]): Promise<void> {
    while (this.running) await this.running;
    const traces = take();
    if (traces.length === 0) return;
    this.running = this.process(traces).finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  private async process(traces: OpenTrace[]): Promise<void> {
    await this.reload(traces.filter((t) => t.reload));
    // In slices, yielding between them: deriving thousands of traces in one go would hold the
    // event loop for a long time, and everything else waiting on it would wait that long. A
    // slice's rows are written while the next slice is derived: waiting for each write first
    // would make every slice pay a round trip through the writer's thread.
    const writes: Promise<void>[] = [];
    for (let i = 0; i < traces.length; i += TRACES_PER_SLICE) {
      const rows: DerivedRows = { sessions: [], actions: [], transitions: [], decisions: [], communications: [] };
      for (const trace of traces.slice(i, i + TRACES_PER_SLICE)) this.deriveInto(rows, trace.traceId, [...trace.spans.values()]);
      writes.push(this.write(rows));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await Promise.all(writes);
    this.s.settledTraces += traces.length;
  }

  private deriveInto(into: DerivedRows, traceId: string, spans: readonly CanonicalSpan[]): void {
    try {
      const first = spans[0];
      const started = this.deps.started;
      const derived = deriveTraceParts(spans, this.deps.costOf, this.nextVersion(), started && first && ((spanId) => started(first.tenantId, spanId)), this.deps.quality);
      for (const key of Object.keys(into) as (keyof DerivedRows)[]) (into[key] as unknown[]).push(...derived.rows[key]);
      if (first) this.deps.observer?.traceSettled(first.tenantId, traceId, spans, derived);
    } catch (err) {
      // A bug on one odd trace must not stop the others; `rebuild` repairs it once fixed.
      this.s.failedTraces++;
      this.deps.log.error({ err, traceId }, 'trace assembly failed');
    }
  }

  /** Adds the stored spans of traces that were settled before, so the whole trace is derived again. */
  private async reload(traces: OpenTrace[]): Promise<void> {
    const byTenant = new Map<string, OpenTrace[]>();
    for (const t of traces) byTenant.set(t.tenantId, [...(byTenant.get(t.tenantId) ?? []), t]);
    for (const [tenantId, group] of byTenant) {
      try {
        const stored = await this.deps.loadSpans(tenantId, group.map((t) => t.traceId));
        const byTrace = new Map(group.map((t) => [t.traceId, t]));
        for (const row of stored) {
          const trace = byTrace.get(row.traceId);
          if (trace && !trace.spans.has(row.spanId)) trace.spans.set(row.spanId, this.deps.toCanonical(row));
        }
        this.s.reloadedTraces += group.length;
      } catch (err) {
        this.deps.log.warn({ err, traces: group.length }, 'could not read settled spans back; deriving late spans alone');
      }
    }
  }

  private async write(rows: DerivedRows): Promise<void> {
    const { sinks, writer } = this.deps;
    const writes = (Object.keys(sinks) as (keyof AgentSinks)[]).map(async (key) => {
      const sink = sinks[key] as RowSink<unknown>;
      const batch = rows[key] as unknown[];
      for (let attempt = 1; batch.length > 0; attempt++) {
        const outcome = await writer.write(sink, batch);
        if (outcome.status === 'committed') return;
        if (attempt >= WRITE_ATTEMPTS || outcome.status === 'failed') {
          this.deps.log.error({ table: sink.table, rows: batch.length, outcome }, 'derived rows not written; run agentflow rebuild to repair');
          return;
        }
        await new Promise((r) => setTimeout(r, WRITE_RETRY_MS * attempt));
      }
    });
    await Promise.all(writes);
  }
}
