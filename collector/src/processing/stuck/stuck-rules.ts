import { AGENT_INSTANCE_STATUS, GEN_AI_OPERATION, type AnomalyKind, type AnomalySeverity } from '@agentflow/schemas';
import { clockTime, duration, LLM_OPERATIONS, spanLabel } from './describe.js';
import type { StuckOptions } from './options.js';
import { spanKey, traceKey, type Heartbeat, type StartRecord, type TraceActivity, type TraceShape } from './stuck-queries.js';

/**
 * The stuck rules: pure functions of what one pass read. Each finding names its subject, the span
 * whose state decides it (the session, the open span, or the parent that never arrived), from
 * which its anomaly id is derived.
 */

/** A stuck condition that holds now. */
export interface Finding {
  kind: AnomalyKind;
  severity: AnomalySeverity;
  tenantId: string;
  traceId: string;
  sessionId: string;
  /** The span id whose end (or activity) resolves it. */
  subject: string;
  agentName: string;
  detail: string;
  evidence: string[];
  count: number;
  /** Time of the evidence: the last sign of life, the last heartbeat, the span's start, the last span end. */
  lastSeenMs: number;
}

/** What one pass knows. Maps are keyed by `spanKey`, `instanceKey` and `traceKey`. */
export interface PassView {
  nowMs: number;
  /** Spans started and not ended (start records). */
  watched: ReadonlyMap<string, StartRecord>;
  heartbeats: ReadonlyMap<string, Heartbeat>;
  /** Latest activity of the traces of sessions that may be stale or orphaned. */
  activity: ReadonlyMap<string, TraceActivity>;
  /** Traces read whole for the rule on roots that never arrive. */
  shapes: ReadonlyMap<string, TraceShape>;
}

export const instanceKey = (tenantId: string, instance: string) => `${tenantId}\u0000${instance}`;

/** The heartbeat period a process states, else the default. */
export function heartbeatIntervalMs(beat: Heartbeat | undefined, o: StuckOptions): number {
  return beat !== undefined && beat.intervalMs > 0 ? beat.intervalMs : o.defaultHeartbeatIntervalMs;
}

/** Silence after which a session is stale: max(missed × heartbeat interval, floor). */
export function staleAfterMs(beat: Heartbeat | undefined, o: StuckOptions): number {
  return Math.max(o.missedHeartbeats * heartbeatIntervalMs(beat, o), o.minStaleMs);
}

/**
 * When a process went offline, by its word (an `offline` heartbeat) or by its silence (no heartbeat
 * for `missedHeartbeats` intervals); null while it is online. Its word counts one interval after
 * it was given: a process reports offline as it shuts down, and the spans it flushes on the way
 * out (its sessions ending) travel through another exporter and may arrive a little later.
 */
export function offlineSince(beat: Heartbeat | undefined, nowMs: number, o: StuckOptions): { atMs: number; reported: boolean } | null {
  if (beat === undefined) return null;
  const interval = heartbeatIntervalMs(beat, o);
  if (beat.status === AGENT_INSTANCE_STATUS.OFFLINE) return nowMs - beat.lastMs > interval ? { atMs: beat.lastMs, reported: true } : null;
  const silentAt = beat.lastMs + o.missedHeartbeats * interval;
  return nowMs > silentAt ? { atMs: silentAt, reported: false } : null;
}

/** The session (nearest watched invoke_agent ancestor) of an open span, when its chain of start records reaches one. */
function sessionOf(span: StartRecord, watched: ReadonlyMap<string, StartRecord>): StartRecord | undefined {
  let parent = span.parentSpanId;
  for (let hops = 0; parent !== '' && hops < 64; hops++) {
    const p = watched.get(spanKey(span.tenantId, parent));
    if (p === undefined) return undefined;
    if (p.operation === GEN_AI_OPERATION.INVOKE_AGENT) return p;
    parent = p.parentSpanId;
  }
  return undefined;
}

function boundOf(operation: string, o: StuckOptions): number {
  if (operation === GEN_AI_OPERATION.EXECUTE_TOOL) return o.bounds.toolMs;
  if (LLM_OPERATIONS.includes(operation)) return o.bounds.llmMs;
  return o.bounds.agentMs;
}

/** `stuck.stale` and `stuck.orphaned` for each running session (a watched invoke_agent span). */
export function sessionFindings(view: PassView, o: StuckOptions): Finding[] {
  const out: Finding[] = [];
  const now = view.nowMs;
  for (const s of view.watched.values()) {
    if (s.operation !== GEN_AI_OPERATION.INVOKE_AGENT) continue;
    const beat = s.instance === '' ? undefined : view.heartbeats.get(instanceKey(s.tenantId, s.instance));
    const act = view.activity.get(traceKey(s.tenantId, s.traceId));
    const base = { tenantId: s.tenantId, traceId: s.traceId, sessionId: s.spanId, subject: s.spanId, agentName: s.agentName, count: 1 };

    // The trace's own last sign of life; the process's heartbeat counts for staleness only.
    let traceLastMs = s.startedMs;
    let last = { atMs: s.startedMs, text: `${spanLabel(s)} started ${clockTime(s.startedMs, now)}`, spanId: s.spanId };
    if (act !== undefined && act.lastMs > traceLastMs) {
      traceLastMs = act.lastMs;
      last = { atMs: act.lastMs, text: `${spanLabel(act.last)} ${act.last.happened} ${clockTime(act.lastMs, now)}`, spanId: act.last.spanId };
    }
    if (beat !== undefined && beat.lastMs > last.atMs) {
      last = { atMs: beat.lastMs, text: `heartbeat from ${s.instance} at ${clockTime(beat.lastMs, now)}`, spanId: '' };
    }
    if (now - last.atMs > staleAfterMs(beat, o)) {
      out.push({
        ...base, kind: 'stuck.stale', severity: 'warning', lastSeenMs: last.atMs,
        detail: `no sign of life for ${duration(now - last.atMs)} (last: ${last.text})`,
        evidence: last.spanId === '' || last.spanId === s.spanId ? [s.spanId] : [s.spanId, last.spanId],
      });
    }

    const offline = offlineSince(beat, now, o);
    // A session that started or acted after its process fell silent shows the process is alive.
    if (beat !== undefined && offline !== null && traceLastMs <= offline.atMs) {
      const detail = offline.reported
        ? `process ${s.instance} went offline at ${clockTime(offline.atMs, now)} while the session was running`
        : `process ${s.instance} stopped sending heartbeats after ${clockTime(beat.lastMs, now)} (expected every ${duration(heartbeatIntervalMs(beat, o))}) while the session was running`;
      out.push({ ...base, kind: 'stuck.orphaned', severity: 'critical', lastSeenMs: beat.lastMs, detail, evidence: [s.spanId] });
    }
  }
  return out;
}

/** `stuck.open_span` for each watched span open past the bound of its kind. */
export function openSpanFindings(view: PassView, o: StuckOptions): Finding[] {
  const out: Finding[] = [];
  for (const s of view.watched.values()) {
    const bound = boundOf(s.operation, o);
    const age = view.nowMs - s.startedMs;
    if (age <= bound) continue;
    const agent = s.operation === GEN_AI_OPERATION.INVOKE_AGENT;
    const session = agent ? s : sessionOf(s, view.watched);
    out.push({
      kind: 'stuck.open_span', severity: 'warning', tenantId: s.tenantId, traceId: s.traceId,
      sessionId: session?.spanId ?? s.parentSpanId, subject: s.spanId, agentName: s.agentName || session?.agentName || '',
      detail: `${spanLabel(s)} started ${duration(age)} ago and has not ended (bound ${duration(bound)})`,
      evidence: [s.spanId], count: 1, lastSeenMs: s.startedMs,
    });
  }
  return out;
}

/**
 * `stuck.open_span` for traces without start records: spans keep arriving (the last ended within
 * the stale window of a process without heartbeats) but no root has, longer than the agent bound
 * after the first span. The subject, and session, is the parent most of its top spans point to;
 * one the start records already watch is left to {@link openSpanFindings}.
 */
export function rootlessFindings(view: PassView, o: StuckOptions): Finding[] {
  const out: Finding[] = [];
  const window = staleAfterMs(undefined, o);
  for (const t of view.shapes.values()) {
    const since = view.nowMs - t.firstMs;
    if (t.roots > 0 || view.nowMs - t.lastEndMs > window || since <= o.bounds.agentMs) continue;
    const top = t.missing.reduce<TraceShape['missing'][number] | undefined>(
      (best, m) => (best === undefined || m.children > best.children || (m.children === best.children && m.parentId < best.parentId) ? m : best), undefined);
    if (top === undefined || view.watched.has(spanKey(t.tenantId, top.parentId))) continue;
    out.push({
      kind: 'stuck.open_span', severity: 'warning', tenantId: t.tenantId, traceId: t.traceId, sessionId: top.parentId, subject: top.parentId,
      agentName: top.agentName,
      detail: `spans keep arriving (${t.spans} so far, the last ended ${clockTime(t.lastEndMs, view.nowMs)}) but their parent span ${top.parentId} `
        + `has not, ${duration(since)} after the trace's first span (bound ${duration(o.bounds.agentMs)})`,
      evidence: top.evidence, count: t.spans, lastSeenMs: t.lastEndMs,
    });
  }
  return out;
}

/** Why an open anomaly whose condition was looked at and no longer holds is resolved. */
export function resolutionReason(kind: AnomalyKind, shape: TraceShape | undefined, nowMs: number, o: StuckOptions): string {
  if (kind === 'stuck.stale') return 'activity resumed';
  if (kind === 'stuck.orphaned') return 'the process is reporting again';
  if (shape === undefined) return 'the span is no longer open past its bound';
  if (shape.roots > 0) return "the trace's root span arrived";
  if (nowMs - shape.lastEndMs > staleAfterMs(undefined, o)) return 'spans stopped arriving (no end of the parent span was recorded)';
  return 'the parent span is no longer missing';
}
