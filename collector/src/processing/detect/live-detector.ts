import type { Detected, SessionSnapshot } from '@agentflow/schemas';
import type { CanonicalSpan } from '../../mapping/canonical-span.js';
import type { CostResolver } from '../../assembly/derive-actions.js';
import { actionTypeOf } from '../../assembly/derive-actions.js';
import type { DerivedTrace } from '../../assembly/derive.js';
import type { StartedAgent } from '../../assembly/open-parents.js';
import type { QualityOptions } from '../../assembly/quality/index.js';
import { CostRateMeter, type Spend } from './cost-rate.js';
import { detectTrace } from './detect-trace.js';
import type { CostRateLimit, SettingsFor } from './settings.js';

/** What the detector needs (ports: tests pass plain functions). */
export interface LiveDetectorDeps {
  costOf: CostResolver;
  settingsFor: SettingsFor;
  /** How model answers are scored; built-in defaults when absent. */
  quality?: QualityOptions | undefined;
  costRate?: CostRateLimit | undefined;
  emit(found: Detected): void;
  nextVersion(): bigint;
  /** What an agent's start record said, for a running session known only by its children's parent id. */
  started?: ((tenantId: string, spanId: string) => StartedAgent | undefined) | undefined;
  log: { error(o: object, m: string): void };
}

/** A trace as the assembly buffer holds it. */
export interface WatchedTrace {
  tenantId: string;
  traceId: string;
  spans: ReadonlyMap<string, CanonicalSpan>;
  /** Its root span arrived: the trace has ended and settles after a quiet period. */
  rootSeen: boolean;
}

/**
 * Runs the loop and budget rules while sessions run. Assembly tells it which traces got spans;
 * every `tickMs` each of those is looked at once, whatever number of exports touched it, so a
 * busy trace costs one pass per tick and a quiet one nothing. When a trace settles it is looked
 * at a last time with its sessions ended. Only anomalies that are new or changed since the trace
 * was last looked at are emitted, each with a new version.
 */
export class LiveDetector {
  private readonly dirty = new Map<string, WatchedTrace>();
  /** Per open trace: each anomaly's last emitted state, so an unchanged one is not emitted again. */
  private readonly emitted = new Map<string, Map<string, string>>();
  /** Per open trace: sessions whose figures were sent while they ran. */
  private readonly reported = new Map<string, Set<string>>();
  private readonly meter: CostRateMeter | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly s = { passes: 0, traces: 0, anomalies: 0, failed: 0 };

  constructor(private readonly deps: LiveDetectorDeps, private readonly tickMs: number) {
    this.meter = deps.costRate ? new CostRateMeter(deps.costRate) : undefined;
  }

  stats(): { passes: number; traces: number; anomalies: number; failed: number; watching: number } {
    return { ...this.s, watching: this.emitted.size };
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  /** Stops the timer; what is pending is looked at once more. Idempotent. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.tick();
  }

  /**
   * A buffered trace got spans. A trace whose root arrived has ended: it is looked at once, when
   * it settles a quiet period later, rather than on every tick until then (most traces arrive
   * whole, and this halves what detection costs ingest).
   */
  traceChanged(trace: WatchedTrace): void {
    const key = keyOf(trace.tenantId, trace.traceId);
    if (trace.rootSeen) this.dirty.delete(key);
    else this.dirty.set(key, trace);
  }

  /**
   * A trace settled and was derived from these spans: the last look, with its sessions ended. A
   * trace whose root never arrived settled at the assembly timeout (or at shutdown) with its
   * agent still running as far as anyone knows: its sessions stay open, and the stuck job tells
   * whether the agent is stale or its process gone.
   */
  traceSettled(tenantId: string, traceId: string, spans: readonly CanonicalSpan[], derived: DerivedTrace): void {
    const key = keyOf(tenantId, traceId);
    this.dirty.delete(key);
    this.look(key, tenantId, traceId, spans, false, derived);
    this.emitted.delete(key);
    this.reported.delete(key);
  }

  /** Looks at every trace that changed since the last tick. */
  tick(): void {
    if (this.dirty.size === 0) return;
    this.s.passes++;
    const traces = [...this.dirty];
    this.dirty.clear();
    for (const [key, trace] of traces) this.look(key, trace.tenantId, trace.traceId, [...trace.spans.values()], true);
  }

  private look(key: string, tenantId: string, traceId: string, spans: readonly CanonicalSpan[], running: boolean, derived?: DerivedTrace): void {
    this.s.traces++;
    try {
      const started = this.deps.started;
      const found = detectTrace(spans, running, this.deps.costOf, this.deps.settingsFor, derived, started && ((spanId) => started(tenantId, spanId)), this.deps.quality);
      const before = this.emitted.get(key) ?? new Map<string, string>();
      const changed = found.anomalies.filter((a) => {
        const state = `${a.sessionId}|${a.agentName}|${a.severity}|${a.count}|${a.lastSeenAt}|${a.resolvedAt ?? ''}`;
        if (before.get(a.anomalyId) === state) return false;
        before.set(a.anomalyId, state);
        return true;
      });
      this.emitted.set(key, before);
      if (this.meter) changed.push(...this.meter.add(spendsOf(spans, found.sessions, this.deps.costOf)));
      for (const a of changed) a.version = this.deps.nextVersion();
      this.s.anomalies += changed.length;
      // Figures go to the guard for running sessions, and once more when one of those ends;
      // sessions that were never seen running are answered from storage.
      const reported = this.reported.get(key) ?? new Set<string>();
      const sessions = found.sessions.filter((s) => s.running || reported.has(s.sessionId));
      for (const s of sessions) reported.add(s.sessionId);
      if (running && reported.size > 0) this.reported.set(key, reported);
      if (changed.length > 0 || sessions.length > 0) this.deps.emit({ anomalies: changed, sessions });
    } catch (err) {
      // A rule that throws on one odd trace must not stop detection for the others.
      this.s.failed++;
      this.deps.log.error({ err, traceId }, 'anomaly detection failed for a trace');
    }
  }
}

function keyOf(tenantId: string, traceId: string): string {
  return `${tenantId}\u0000${traceId}`;
}

/** Each priced action's spend, attributed to the agent of its session. */
function spendsOf(spans: readonly CanonicalSpan[], sessions: readonly SessionSnapshot[], costOf: CostResolver): Spend[] {
  const agentOf = new Map(sessions.map((s) => [s.sessionId, s.agentName]));
  const spends: Spend[] = [];
  for (const span of spans) {
    if ((span.usage === null && span.providedCostUsd === null) || actionTypeOf(span) === null) continue;
    const agentName = agentOf.get(span.parentSpanId) ?? span.agentName;
    spends.push({ tenantId: span.tenantId, agentName, spanId: span.spanId, costUsd: costOf(span).costUsd, atNs: span.endTimeUnixNano });
  }
  return spends;
}
