import { createHash } from 'node:crypto';
import type { AnomalyRow, SessionRow } from '@agentflow/schemas';
import { createVersionClock } from '../../storage/version-clock.js';
import { resolveStuckOptions, type StuckJobDeps, type StuckOptions, type StuckOptionsInput } from './options.js';
import { openStuckAnomalies, spanKey, traceKey } from './stuck-queries.js';
import { openSpanFindings, resolutionReason, rootlessFindings, sessionFindings, type Finding, type PassView } from './stuck-rules.js';
import { timedOutCandidates, timedOutSessions } from './timed-out.js';
import { StuckWatch, type Subject } from './watch.js';

/** An anomaly this detector published and has not resolved. */
interface OpenAnomaly {
  row: AnomalyRow;
  /** The span id its condition is about (see {@link Finding.subject}). */
  subject: string;
  /** Past this, an anomaly nothing looks at any more is forgotten (left open as published). */
  watchUntilMs: number;
}

/** Counters since start, for logs and tests. */
export interface StuckStats {
  passes: number;
  failed: number;
  published: number;
  /** Sessions derived as `timed_out`. */
  timedOut: number;
  /** Open spans dropped beyond `maxWatched`. */
  dropped: number;
  watched: number;
  open: number;
}

/** The anomaly id of a stuck condition: a short SHA-256 of what it is about, so a re-emission replaces the row. */
export function stuckAnomalyId(tenantId: string, kind: string, subject: string): string {
  return createHash('sha256').update(`${tenantId}\u0000${kind}\u0000${subject}`).digest('hex').slice(0, 16);
}

/**
 * Finds stuck sessions and spans (`stuck.stale`, `stuck.orphaned`, `stuck.open_span`) on a timer,
 * from the raw start records, heartbeats and spans (see {@link StuckWatch} for what a pass reads),
 * and publishes each anomaly when it opens, changes (count or last seen) or resolves. The open ones
 * are kept in memory and loaded from `anomalies` before the first pass, so a restarted collector
 * still resolves them. A stale or orphaned session that has run past the assembly timeout gets a
 * `timed_out` session row (see {@link timedOutSessions}), once.
 */
export class StuckJob {
  private readonly options: StuckOptions;
  private readonly watch: StuckWatch;
  private readonly clock: () => bigint;
  private versionFloor = 0n;
  private open = new Map<string, OpenAnomaly>();
  /** `spanKey`s of watched sessions with a derived session (ours, or found): never derived again. */
  private derived = new Set<string>();
  private loaded = false;
  private firstTimer: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private soonTimer: NodeJS.Timeout | undefined;
  private soonAt = Infinity;
  private running: Promise<AnomalyRow[]> | undefined;
  private stopping: Promise<void> | undefined;
  /** Set when stop() gave up waiting: the pass still running must not publish. */
  private abandoned = false;
  private readonly s = { passes: 0, failed: 0, published: 0, timedOut: 0 };

  /** Throws a RangeError on options that cannot work. */
  constructor(private readonly deps: StuckJobDeps, options: StuckOptionsInput = {}) {
    this.options = resolveStuckOptions(options);
    this.watch = new StuckWatch(deps.client, this.options, deps.log);
    this.clock = createVersionClock(deps.now);
  }

  /** Counters since construction, and the spans and anomalies held now. */
  stats(): StuckStats {
    return { ...this.s, dropped: this.watch.dropped, watched: this.watch.size, open: this.open.size };
  }

  /** Runs the first pass after `firstPassDelayMs`, then one every `intervalMs`; a pass never starts while one runs. */
  start(): void {
    if (this.stopping || this.firstTimer || this.timer) return;
    this.firstTimer = setTimeout(() => {
      this.firstTimer = undefined;
      this.tick();
      this.timer = setInterval(() => this.tick(), this.options.intervalMs);
      this.timer.unref();
    }, this.options.firstPassDelayMs);
    this.firstTimer.unref();
    this.deps.log.info({ intervalMs: this.options.intervalMs }, 'stuck detector started');
  }

  /**
   * Runs a pass `delayMs` from now, besides the regular ones: something that ends a session's life
   * (a process saying it goes offline) should not wait a whole interval to be reported.
   * Coalesced: an earlier pending request stands.
   */
  soon(delayMs: number): void {
    if (this.stopping) return;
    const at = Date.now() + delayMs;
    if (this.soonTimer && this.soonAt <= at) return;
    clearTimeout(this.soonTimer);
    this.soonAt = at;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      this.soonAt = Infinity;
      // A pass under way may have read before the event: ask again once it is done.
      if (this.running) this.soon(250);
      else this.tick();
    }, delayMs);
    this.soonTimer.unref();
  }

  /** Stops the timer and waits up to `stopTimeoutMs` for a pass in progress (which then publishes nothing). Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearTimeout(this.firstTimer);
      clearTimeout(this.soonTimer);
      clearInterval(this.timer);
      this.firstTimer = this.timer = undefined;
      if (this.running) {
        let timeout: NodeJS.Timeout | undefined;
        this.abandoned = await Promise.race([
          this.running.then(() => false, () => false),
          new Promise<boolean>((res) => { timeout = setTimeout(() => res(true), this.options.stopTimeoutMs); }),
        ]);
        clearTimeout(timeout);
      }
      this.deps.log.info(this.stats(), 'stuck detector stopped');
    })();
    return this.stopping;
  }

  /** One pass now (after the one in progress, if any); resolves to the rows it published. */
  async runOnce(): Promise<AnomalyRow[]> {
    while (this.running) await this.running.catch(() => undefined);
    const pass = this.pass();
    this.running = pass;
    try {
      return await pass;
    } finally {
      if (this.running === pass) this.running = undefined;
    }
  }

  private tick(): void {
    if (this.running || this.stopping) return;
    this.runOnce().catch((err: unknown) => {
      this.s.failed++;
      this.deps.log.error({ err }, 'stuck pass failed; retrying at the next interval');
    });
  }

  private async pass(): Promise<AnomalyRow[]> {
    const started = performance.now();
    const o = this.options;
    const now = this.deps.now();
    if (!this.loaded) await this.load(now);
    const subjects: Subject[] = [...this.open.values()].map((a) => ({
      tenantId: a.row.tenantId, traceId: a.row.traceId, spanId: a.subject, rootless: isRootless(a), sinceMs: Number(a.row.detectedAt / 1_000_000n),
    }));
    const read = await this.watch.read(now, subjects);
    const findings = [...sessionFindings(read.view, o), ...openSpanFindings(read.view, o), ...rootlessFindings(read.view, o)];
    const { rows, open } = this.diff(findings, read.view, read.ended);
    const timedOut = this.deps.timedOut === undefined
      ? { rows: [], derived: [] }
      : await timedOutSessions(this.deps.client, timedOutCandidates(findings, read.view, o, this.derived), o.horizonMs, () => this.nextVersion());

    if (this.abandoned) return [];
    if (rows.length > 0) this.deps.publish(rows);
    // Kept only once published: a publish that throws is redone by the next pass.
    this.watch.commit(read);
    this.open = open;
    this.publishTimedOut(timedOut.rows, timedOut.derived, read.next.watched);
    this.s.passes++;
    this.s.published += rows.length;
    const ms = Math.round(performance.now() - started);
    if (rows.length > 0 || timedOut.rows.length > 0 || read.firstPass) {
      const resolved = rows.filter((r) => r.resolvedAt !== null).length;
      this.deps.log.info({ published: rows.length, resolved, timedOut: timedOut.rows.length, watched: this.watch.size, open: open.size, ms }, 'stuck pass');
    }
    if (ms > o.intervalMs) this.deps.log.warn({ ms, intervalMs: o.intervalMs }, 'stuck pass took longer than its interval');
    return rows;
  }

  /**
   * Hands the timed-out sessions to the caller and remembers them, with the sessions found derived,
   * while they are watched: a session no longer watched ended or aged out, and never comes back.
   */
  private publishTimedOut(rows: readonly SessionRow[], derived: readonly string[], watched: ReadonlyMap<string, unknown>): void {
    for (const key of this.derived) if (!watched.has(key)) this.derived.delete(key);
    for (const key of derived) this.derived.add(key);
    if (rows.length === 0) return;
    // Remembered only once handed over: a port that throws fails the pass, and the next one derives them again.
    this.deps.timedOut?.(rows);
    for (const r of rows) this.derived.add(spanKey(r.tenantId, r.sessionId));
    this.s.timedOut += rows.length;
  }

  /** The rows to publish (new, changed, resolved) and the open set after them. */
  private diff(findings: readonly Finding[], view: PassView, ended: ReadonlySet<string>): { rows: AnomalyRow[]; open: Map<string, OpenAnomaly> } {
    const nowNs = BigInt(view.nowMs) * 1_000_000n;
    const rows: AnomalyRow[] = [];
    const open = new Map(this.open);
    const found = new Set<string>();
    for (const f of findings) {
      const anomalyId = stuckAnomalyId(f.tenantId, f.kind, f.subject);
      // The start records' rule comes first and wins over the rootless rule for the same span.
      if (found.has(anomalyId)) continue;
      found.add(anomalyId);
      const before = this.open.get(anomalyId);
      const row: AnomalyRow = {
        tenantId: f.tenantId, anomalyId, sessionId: f.sessionId, traceId: f.traceId, agentName: f.agentName, kind: f.kind,
        severity: f.severity, detail: f.detail, evidence: f.evidence, count: f.count,
        detectedAt: before?.row.detectedAt ?? nowNs, lastSeenAt: BigInt(f.lastSeenMs) * 1_000_000n, resolvedAt: null, version: 0n,
      };
      if (before && stateOf(before.row) === stateOf(row)) continue;
      row.version = this.nextVersion();
      rows.push(row);
      const startedMs = view.watched.get(spanKey(f.tenantId, f.subject))?.startedMs ?? view.nowMs;
      open.set(anomalyId, { row, subject: f.subject, watchUntilMs: startedMs + this.options.horizonMs });
    }
    for (const [anomalyId, a] of this.open) {
      if (found.has(anomalyId)) continue;
      const key = spanKey(a.row.tenantId, a.subject);
      const shape = view.shapes.get(traceKey(a.row.tenantId, a.row.traceId));
      // Resolved only where this pass looked: a span it found ended, or a condition it evaluated afresh.
      const lookedAt = view.watched.has(key) || (isRootless(a) && shape !== undefined);
      const reason = ended.has(key)
        ? (isRootless(a) ? 'the parent span arrived' : a.row.kind === 'stuck.open_span' && a.subject !== a.row.sessionId ? 'the span ended' : 'the session ended')
        : lookedAt ? resolutionReason(a.row.kind, shape, view.nowMs, this.options) : null;
      if (reason === null) {
        if (view.nowMs > a.watchUntilMs) open.delete(anomalyId);
        continue;
      }
      rows.push({ ...a.row, detail: `${a.row.detail}; resolved: ${reason}`, resolvedAt: nowNs, version: this.nextVersion() });
      open.delete(anomalyId);
    }
    return { rows, open };
  }

  /** Loads the open stuck anomalies a previous run published (detected within the horizon). */
  private async load(now: number): Promise<void> {
    for (const row of await openStuckAnomalies(this.deps.client, now - this.options.horizonMs)) {
      // The subject is the session or the first evidence: the one the id was derived from.
      const subject = [row.sessionId, row.evidence[0]].find((c) => c !== undefined && stuckAnomalyId(row.tenantId, row.kind, c) === row.anomalyId) ?? row.sessionId;
      this.open.set(row.anomalyId, { row, subject, watchUntilMs: Number(row.detectedAt / 1_000_000n) + this.options.horizonMs });
      if (row.version > this.versionFloor) this.versionFloor = row.version;
    }
    this.loaded = true;
  }

  /** A version above every one published, loaded ones included, even when the clock stands still. */
  private nextVersion(): bigint {
    let v = this.clock();
    if (v <= this.versionFloor) v = this.versionFloor + 1n;
    this.versionFloor = v;
    return v;
  }
}

/** An open span found by the rootless rule: its subject, the missing parent, is never its own evidence. */
function isRootless(a: OpenAnomaly): boolean {
  return a.row.kind === 'stuck.open_span' && a.row.evidence[0] !== a.subject;
}

/** What makes a re-emission worth it: not the detail, whose durations grow every pass. */
function stateOf(r: AnomalyRow): string {
  return [r.sessionId, r.agentName, r.severity, r.count, r.lastSeenAt, r.evidence.join(',')].join('|');
}
