import type { ActionRow, CommunicationRow, DerivedRows, SessionRow } from '@agentflow/schemas';
import type { CanonicalSpan } from '../mapping/canonical-span.js';
import { deriveActions, durationMs, statusOf, type CostResolver } from './derive-actions.js';
import { CLOCK_SLACK_NS, deriveDecisions, deriveMessages, deriveTransitions } from './derive-events.js';
import { withOpenParents, type StartedAgent } from './open-parents.js';
import { buildSessionTree, type SessionNode } from './session-tree.js';
import type { QualityOptions } from './quality/index.js';

/**
 * Derives every agent record of one trace from its canonical spans. Pure and deterministic for
 * given spans and version: a replay or rebuild writes the same keys with a newer version.
 *
 * A trace without a root span settled before its agent ended, or its process died: the spans
 * whose parent never came are gathered under that parent as a session of their own, `timed_out`
 * (it ended, as far as anyone knows, with its last child). If the agent span arrives after all,
 * the trace is derived again and that session replaced.
 */
export function deriveTrace(spans: readonly CanonicalSpan[], costOf: CostResolver, version: bigint): DerivedRows {
  return deriveTraceParts(spans, costOf, version).rows;
}

/** A derived trace with the session tree it was derived from, for whoever looks at the same trace next (live detection). */
export interface DerivedTrace {
  rows: DerivedRows;
  sessions: readonly SessionNode[];
  /** Sessions whose agent span never came (their status is `timed_out`). */
  open: ReadonlySet<string>;
}

/**
 * {@link deriveTrace}, keeping the session tree; `started` names a session whose agent span never
 * came from its start record; `quality` sets the answer checks (built-in defaults when absent).
 */
export function deriveTraceParts(
  spans: readonly CanonicalSpan[], costOf: CostResolver, version: bigint, started?: (spanId: string) => StartedAgent | undefined,
  quality?: QualityOptions,
): DerivedTrace {
  const out: DerivedRows = { sessions: [], actions: [], transitions: [], decisions: [], communications: [] };
  const rootless = spans.length > 0 && !spans.some((s) => s.parentSpanId === '');
  const { spans: all, open } = rootless ? withOpenParents(spans, started) : { spans, open: new Set<string>() };
  const { sessions } = buildSessionTree(all);
  for (const session of sessions) {
    const actions = deriveActions(session, costOf, version, quality);
    out.actions.push(...actions);
    const row = sessionRow(session, actions, version);
    if (open.has(row.sessionId)) row.status = 'timed_out';
    out.sessions.push(row);
    out.transitions.push(...deriveTransitions(session, version));
    out.decisions.push(...deriveDecisions(session, version));
    out.communications.push(...deriveMessages(session, sessions, version), ...delegationsAndLinks(session, sessions, version));
  }
  return { rows: out, sessions, open };
}

/** The first non-empty value of `pick` on the session's span, its ancestors, then its own members. */
function inherited(session: SessionNode, pick: (s: CanonicalSpan) => string): string {
  for (let n: SessionNode | null = session; n; n = n.parent) {
    const value = pick(n.span);
    if (value !== '') return value;
  }
  for (const span of session.members) {
    const value = pick(span);
    if (value !== '') return value;
  }
  return '';
}

function sessionRow(session: SessionNode, actions: readonly ActionRow[], version: bigint): SessionRow {
  const span = session.span;
  const sum = (f: (a: ActionRow) => number) => actions.reduce((total, a) => total + f(a), 0);
  const failed = actions.filter((a) => a.status === 'failed');
  const lastFailure = failed.at(-1);
  const status = statusOf(span);
  return {
    tenantId: span.tenantId,
    sessionId: span.spanId,
    traceId: span.traceId,
    rootSessionId: session.root.span.spanId,
    parentSessionId: session.parent?.span.spanId ?? '',
    agentId: span.agentId,
    // An implicit session is named after what ran: the service, else the root span.
    agentName: span.agentName || (session.implicit ? span.serviceName || span.name : ''),
    agentType: span.agentType,
    agentDescription: span.agentDescription,
    goal: span.goal,
    goalType: span.goalType,
    taskId: span.taskId,
    workflowName: inherited(session, (s) => s.workflowName),
    conversationId: inherited(session, (s) => s.conversationId),
    userId: inherited(session, (s) => s.userId),
    trigger: span.trigger,
    status,
    startedAt: span.startTimeUnixNano,
    endedAt: span.endTimeUnixNano,
    durationMs: durationMs(span.startTimeUnixNano, span.endTimeUnixNano),
    llmCalls: actions.filter((a) => a.actionType === 'llm_call').length,
    toolCalls: actions.filter((a) => a.actionType === 'tool_call').length,
    actions: actions.length,
    // Every failed span of the session counts, actions or not (a failed agent step, a failed chain).
    errors: session.members.filter((m) => m.status === 'error').length + (status === 'failed' ? 1 : 0),
    unpricedCalls: actions.filter((a) => a.costSource === 'unknown').length,
    inputTokens: sum((a) => a.inputTokens),
    outputTokens: sum((a) => a.outputTokens),
    cacheReadTokens: sum((a) => a.cacheReadTokens),
    cacheWriteTokens: sum((a) => a.cacheWriteTokens),
    reasoningTokens: sum((a) => a.reasoningTokens),
    costUsd: sum((a) => a.costUsd),
    // The session's own error first; otherwise the last failed action says where it went wrong.
    errorType: status === 'failed' ? span.errorType : lastFailure?.errorType ?? '',
    errorMessage: status === 'failed' ? span.errorMessage : lastFailure?.error ?? '',
    serviceName: span.serviceName,
    serviceInstanceId: span.serviceInstanceId,
    spanName: span.name,
    dialect: span.dialect,
    implicit: session.implicit,
    version,
  };
}

/**
 * Who handed work to whom: a child session was delegated to by its parent; a handoff span passes
 * control to the next session of the named agent; a span link points at a span in another trace
 * (another process that propagated its context), recorded with that span's ids.
 */
function delegationsAndLinks(session: SessionNode, all: readonly SessionNode[], version: bigint): CommunicationRow[] {
  const span = session.span;
  const base = { tenantId: span.tenantId, traceId: span.traceId, requestId: '', inResponseTo: '', channel: '', version };
  const rows: CommunicationRow[] = [];
  if (session.parent) {
    rows.push({
      ...base, communicationId: `delegation:${span.spanId}`, fromSessionId: session.parent.span.spanId, toSessionId: span.spanId,
      fromAgent: session.parent.span.agentName, toAgent: span.agentName, messageType: 'delegation', sentAt: span.startTimeUnixNano,
    });
  }
  for (const member of session.members) {
    if (member.category !== 'handoff') continue;
    const target = handoffTarget(member);
    const receiver = all.find((s) => s !== session && s.span.agentName === target && s.span.startTimeUnixNano >= member.startTimeUnixNano - CLOCK_SLACK_NS);
    rows.push({
      ...base, communicationId: `handoff:${member.spanId}`, fromSessionId: span.spanId, toSessionId: receiver?.span.spanId ?? '',
      fromAgent: span.agentName, toAgent: target, messageType: 'handoff', sentAt: member.startTimeUnixNano,
    });
  }
  for (const link of [span, ...session.members].flatMap((s) => s.links)) {
    rows.push({
      ...base, communicationId: `link:${span.spanId}:${link.spanId}`, fromSessionId: link.spanId, toSessionId: span.spanId,
      fromAgent: '', toAgent: span.agentName, messageType: 'link', requestId: link.traceId, sentAt: span.startTimeUnixNano,
    });
  }
  return rows;
}

/** The agent a handoff span passes control to; failing that, the `transfer_to_<agent>` tool name most frameworks use. */
function handoffTarget(span: CanonicalSpan): string {
  return span.targetAgentName || span.toolName.replace(/^transfer_to_/, '');
}
