import type { AnomalyRow, LogRow } from '@agentflow/schemas';
import { AGENTFLOW, GEN_AI, GEN_AI_OPERATION } from '@agentflow/schemas';
import type { CanonicalSpan } from '../mapping/canonical-span.js';

/** What the live stream tells: a session started, changed state, did something, ended, or an anomaly was found or changed. */
export type LiveEventType = 'session.start' | 'state' | 'action' | 'session.end' | 'anomaly';

/** One live event. Times are ISO strings with nanoseconds cut to milliseconds. */
export interface LiveEvent {
  type: LiveEventType;
  tenantId: string;
  traceId: string;
  /** The session (agent span) the event belongs to, when known. */
  sessionId: string;
  agent: string;
  at: string;
  /** Type-specific fields: state from/to, action kind/name/status/tokens, session status/duration. */
  data: Record<string, unknown>;
}

const iso = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString();

/** Remembers which agent each recent span belongs to, so child spans can be attributed at ingest. */
export class AgentIndex {
  private readonly entries = new Map<string, { agent: string; sessionId: string; parent: string }>();

  constructor(private readonly capacity = 100_000) {}

  remember(spanId: string, parentSpanId: string, agent: string, sessionId: string): void {
    this.entries.delete(spanId);
    this.entries.set(spanId, { agent, sessionId, parent: parentSpanId });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** The nearest known agent at or above `spanId`. */
  agentOf(spanId: string): { agent: string; sessionId: string } | undefined {
    let id = spanId;
    for (let depth = 0; id !== '' && depth < 64; depth++) {
      const entry = this.entries.get(id);
      if (!entry) return undefined;
      if (entry.sessionId !== '') return entry;
      id = entry.parent;
    }
    return undefined;
  }
}

/**
 * Live events from an export's spans, in time order: spans arrive when they end, so an agent
 * span is its session's end (and its start, if no start record came first), child spans are
 * actions, and `agentflow.state` span events are state changes.
 */
export function eventsFromSpans(spans: readonly CanonicalSpan[], index: AgentIndex): LiveEvent[] {
  // Agents first, so their children in the same export can be attributed.
  for (const s of spans) if (s.category === 'agent') index.remember(s.spanId, s.parentSpanId, s.agentName, s.spanId);
  for (const s of spans) if (s.category !== 'agent') index.remember(s.spanId, s.parentSpanId, '', '');
  const events: { ns: bigint; event: LiveEvent }[] = [];
  for (const s of spans) {
    const owner = s.category === 'agent' ? { agent: s.agentName, sessionId: s.spanId } : index.agentOf(s.parentSpanId);
    const base = { tenantId: s.tenantId, traceId: s.traceId, sessionId: owner?.sessionId ?? '', agent: owner?.agent ?? s.agentName };
    for (const change of s.stateChanges) {
      events.push({ ns: change.timeUnixNano, event: { ...base, type: 'state', at: iso(change.timeUnixNano), data: { from: change.from, to: change.to, reason: change.reason } } });
    }
    if (s.category === 'agent') {
      events.push({ ns: s.endTimeUnixNano, event: { ...base, type: 'session.end', at: iso(s.endTimeUnixNano), data: {
        status: s.status === 'error' ? 'failed' : 'completed', durationMs: Number(s.endTimeUnixNano - s.startTimeUnixNano) / 1e6,
        error: s.errorMessage, startedAt: iso(s.startTimeUnixNano),
      } } });
    } else if (s.category !== 'other' && s.category !== 'workflow') {
      events.push({ ns: s.endTimeUnixNano, event: { ...base, type: 'action', at: iso(s.endTimeUnixNano), data: {
        kind: s.category, name: s.toolName || s.responseModel || s.requestModel || s.name, status: s.status === 'error' ? 'failed' : 'completed',
        durationMs: Number(s.endTimeUnixNano - s.startTimeUnixNano) / 1e6, inputTokens: s.usage?.input ?? 0, outputTokens: s.usage?.output ?? 0, error: s.errorMessage,
      } } });
    }
  }
  return events.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0)).map((e) => e.event);
}

/** `anomaly` events: one per anomaly found, changed or resolved. */
export function eventsFromAnomalies(rows: readonly AnomalyRow[]): LiveEvent[] {
  return rows.map((a) => ({
    type: 'anomaly', tenantId: a.tenantId, traceId: a.traceId, sessionId: a.sessionId, agent: a.agentName, at: iso(a.lastSeenAt),
    data: {
      anomalyId: a.anomalyId, kind: a.kind, severity: a.severity, detail: a.detail, count: a.count, evidence: a.evidence,
      detectedAt: iso(a.detectedAt), resolvedAt: a.resolvedAt === null ? null : iso(a.resolvedAt),
    },
  }));
}

/** An agent that started, as its start record tells: what live detection names a running session by. */
export interface AgentStart {
  tenantId: string;
  spanId: string;
  agentId: string;
  agentName: string;
  agentType: string;
  goal: string;
  workflowName: string;
  conversationId: string;
}

/** The agent starts among log rows (`agentflow.span.start` records of invoke_agent spans). */
export function agentStarts(rows: readonly LogRow[]): AgentStart[] {
  const starts: AgentStart[] = [];
  for (const r of rows) {
    if (r.eventName !== AGENTFLOW.SPAN_START_EVENT || r.attributes[GEN_AI.OPERATION_NAME] !== GEN_AI_OPERATION.INVOKE_AGENT) continue;
    const a = r.attributes;
    starts.push({
      tenantId: r.tenantId, spanId: r.spanId, agentId: a[GEN_AI.AGENT_ID] ?? '', agentName: a[GEN_AI.AGENT_NAME] ?? '',
      agentType: a[AGENTFLOW.AGENT_TYPE] ?? '', goal: a[AGENTFLOW.GOAL] ?? '', workflowName: a[GEN_AI.WORKFLOW_NAME] ?? '',
      conversationId: a[GEN_AI.CONVERSATION_ID] ?? '',
    });
  }
  return starts;
}

/** Session starts from the live processor's `agentflow.span.start` records of agent spans. */
export function eventsFromLogs(rows: readonly LogRow[], index: AgentIndex): LiveEvent[] {
  const events: LiveEvent[] = [];
  for (const r of rows) {
    if (r.eventName !== AGENTFLOW.SPAN_START_EVENT) continue;
    const operation = r.attributes[GEN_AI.OPERATION_NAME] ?? '';
    const agent = r.attributes[GEN_AI.AGENT_NAME] ?? '';
    const parent = r.attributes[AGENTFLOW.SPAN_PARENT_SPAN_ID] ?? '';
    const isAgent = operation === GEN_AI_OPERATION.INVOKE_AGENT;
    index.remember(r.spanId, parent, isAgent ? agent : '', isAgent ? r.spanId : '');
    if (!isAgent) continue;
    events.push({
      type: 'session.start', tenantId: r.tenantId, traceId: r.traceId, sessionId: r.spanId, agent, at: iso(r.timeUnixNano),
      data: { goal: r.attributes[AGENTFLOW.GOAL] ?? '', service: r.serviceName },
    });
  }
  return events;
}
