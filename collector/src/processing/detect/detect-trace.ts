import type { ActionRow, AnomalyRow, SessionSnapshot } from '@agentflow/schemas';
import type { CanonicalSpan } from '../../mapping/canonical-span.js';
import { buildSessionTree, type SessionNode } from '../../assembly/session-tree.js';
import type { DerivedTrace } from '../../assembly/derive.js';
import type { CostResolver } from '../../assembly/derive-actions.js';
import { budgetFindings, loopFindings, shortHash, type Finding } from '../loops/index.js';
import type { SettingsFor } from './settings.js';
import { qualityFindings } from './quality-findings.js';
import { DEFAULT_QUALITY_OPTIONS, type QualityOptions } from '../../assembly/quality/index.js';
import { sessionActivity, usageMarks, usageMarksOf } from './session-activity.js';
import { withOpenParents, type StartedAgent } from '../../assembly/open-parents.js';

/** What one pass over a trace found. Anomaly rows carry version 0: the caller stamps them. */
export interface TraceDetection {
  anomalies: AnomalyRow[];
  sessions: SessionSnapshot[];
}

/**
 * Runs the loop, budget and answer-quality rules over every session of one trace. With `running`, spans whose
 * parent has not arrived are gathered under a provisional session for that parent (see
 * {@link withOpenParents}): that is how a session is watched before its agent span ends.
 * Deterministic: the same spans always give the same anomaly ids, details and times. A trace
 * that was just derived passes what derivation found (its session tree, priced actions) as
 * `derived`, which is then not worked out again; its sessions whose agent span never came are
 * the running ones. `started` names a running session from its agent's start record.
 */
export function detectTrace(
  spans: readonly CanonicalSpan[], running: boolean, costOf: CostResolver, settingsFor: SettingsFor, derived?: DerivedTrace,
  started?: (spanId: string) => StartedAgent | undefined, quality: QualityOptions = DEFAULT_QUALITY_OPTIONS,
): TraceDetection {
  const { sessions, open } = derived ?? treeOf(spans, running, started);
  const actionsOf = derived && groupActions(derived.rows.actions);
  const topLevel = sessions.filter((s) => s.parent === null);
  const out: TraceDetection = { anomalies: [], sessions: [] };
  for (const session of sessions) {
    const isOpen = open.has(session.span.spanId);
    const settings = settingsFor({
      tenantId: session.span.tenantId, agentName: session.span.agentName, agentType: session.span.agentType, workflowName: workflowOf(session),
    });
    const marks = actionsOf ? usageMarksOf(actionsOf.get(session.span.spanId) ?? [], session.span.startTimeUnixNano) : usageMarks(session, costOf);
    const findings = [
      ...loopFindings(sessionActivity(session, topLevel), settings.loops), ...budgetFindings(marks, settings.budgets),
      ...qualityFindings(session, quality, actionsOf ? (actionsOf.get(session.span.spanId) ?? []) : undefined),
    ];
    for (const f of findings) out.anomalies.push(anomalyRow(session, f, isOpen));
    const last = marks.at(-1);
    out.sessions.push({
      tenantId: session.span.tenantId, sessionId: session.span.spanId, traceId: session.span.traceId, agentName: session.span.agentName,
      running: isOpen, usage: last?.usage ?? { llmCalls: 0, toolCalls: 0, steps: 0, tokens: 0, costUsd: 0, durationMs: 0 },
      startedNs: session.span.startTimeUnixNano, lastActivityNs: session.span.endTimeUnixNano,
    });
  }
  return out;
}

function treeOf(
  spans: readonly CanonicalSpan[], running: boolean, started: ((spanId: string) => StartedAgent | undefined) | undefined,
): { sessions: readonly SessionNode[]; open: ReadonlySet<string> } {
  const { spans: all, open } = running ? withOpenParents(spans, started) : { spans, open: new Set<string>() };
  return { sessions: buildSessionTree(all).sessions, open };
}

function groupActions(actions: readonly ActionRow[]): Map<string, ActionRow[]> {
  const by = new Map<string, ActionRow[]>();
  for (const a of actions) {
    const list = by.get(a.sessionId);
    if (list) list.push(a);
    else by.set(a.sessionId, [a]);
  }
  return by;
}

function workflowOf(session: SessionNode): string {
  for (let n: SessionNode | null = session; n; n = n.parent) if (n.span.workflowName !== '') return n.span.workflowName;
  return '';
}

/**
 * The row for a finding. Its id hangs on the trace, the kind, the first evidence span and the
 * finding's own key, not on the session: a provisional session may later turn out to be part
 * of another, and the same anomaly must keep its row.
 */
function anomalyRow(session: SessionNode, f: Finding, running: boolean): AnomalyRow {
  const span = session.span;
  const ended = running ? null : span.endTimeUnixNano;
  const resolvedAt = f.resolvedNs !== null && (ended === null || f.resolvedNs < ended) ? f.resolvedNs : ended;
  return {
    tenantId: span.tenantId,
    anomalyId: shortHash(`${span.tenantId}\u0000${span.traceId}\u0000${f.kind}\u0000${f.evidence[0] ?? ''}\u0000${f.discriminator}`),
    sessionId: span.spanId,
    traceId: span.traceId,
    agentName: span.agentName,
    kind: f.kind,
    severity: f.severity,
    detail: f.detail,
    evidence: f.evidence,
    count: f.count,
    detectedAt: f.detectedNs,
    lastSeenAt: f.lastSeenNs,
    resolvedAt,
    version: 0n,
  };
}
