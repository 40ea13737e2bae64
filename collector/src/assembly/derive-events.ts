import type { CommunicationRow, DecisionRow, TransitionRow } from '@agentflow/schemas';
import type { CanonicalSpan, Decision } from '../mapping/canonical-span.js';
import { durationMs } from './derive-actions.js';
import type { SessionNode } from './session-tree.js';

/**
 * The JS SDK stamps span starts in whole milliseconds but events to the sub-millisecond, so a
 * session started right after a message can look up to a millisecond older than the message.
 */
export const CLOCK_SLACK_NS = 1_000_000n;

/** The session's own span followed by its member spans: where its events are recorded. */
function spansOf(session: SessionNode): CanonicalSpan[] {
  return [session.span, ...session.members];
}

/**
 * State transitions from `agentflow.state` events on the session's spans, in time order. A state
 * lasts until the next transition, or until the session ends.
 */
export function deriveTransitions(session: SessionNode, version: bigint): TransitionRow[] {
  const changes = spansOf(session)
    .flatMap((span) => span.stateChanges.map((change, index) => ({ span, change, id: `${span.spanId}:${index}` })))
    .sort((a, b) => (a.change.timeUnixNano < b.change.timeUnixNano ? -1 : a.change.timeUnixNano > b.change.timeUnixNano ? 1 : a.id < b.id ? -1 : 1));
  const sessionEnd = session.span.endTimeUnixNano;
  return changes.map(({ span, change, id }, i) => {
    const next = changes[i + 1];
    const exitedAt = next ? next.change.timeUnixNano : sessionEnd >= change.timeUnixNano ? sessionEnd : null;
    return {
      tenantId: span.tenantId,
      transitionId: id,
      sessionId: session.span.spanId,
      traceId: span.traceId,
      sequence: i + 1,
      fromState: change.from,
      toState: change.to,
      reason: change.reason,
      transitionType: change.transitionType,
      enteredAt: change.timeUnixNano,
      exitedAt,
      durationMs: exitedAt === null ? null : durationMs(change.timeUnixNano, exitedAt),
      version,
    };
  });
}

/** Decisions from `agentflow.decision` events and from plan spans, in time order. */
export function deriveDecisions(session: SessionNode, version: bigint): DecisionRow[] {
  const found: { span: CanonicalSpan; decision: Decision; id: string }[] = [];
  for (const span of spansOf(session)) {
    span.decisions.forEach((decision, index) => found.push({ span, decision, id: `${span.spanId}:${index}` }));
    if (span.category === 'decision' && span.decisions.length === 0) {
      found.push({ span, id: span.spanId, decision: planDecision(span) });
    }
  }
  found.sort((a, b) => (a.decision.timeUnixNano < b.decision.timeUnixNano ? -1 : a.decision.timeUnixNano > b.decision.timeUnixNano ? 1 : 0));
  return found.map(({ span, decision, id }) => ({
    tenantId: span.tenantId,
    decisionId: id,
    sessionId: session.span.spanId,
    traceId: span.traceId,
    actionId: span === session.span ? '' : span.spanId,
    decisionType: decision.type,
    question: decision.question,
    options: decision.options,
    chosen: decision.chosen,
    chosenIndex: decision.chosenIndex,
    reasoning: decision.reasoning,
    confidence: decision.confidence,
    method: decision.method,
    decidedAt: decision.timeUnixNano,
    version,
  }));
}

/** A GenAI `plan` span with no decision event: the plan is the decision, its output what was chosen. */
function planDecision(span: CanonicalSpan): Decision {
  return {
    timeUnixNano: span.endTimeUnixNano,
    type: 'plan',
    question: span.inputContent,
    options: [],
    chosen: span.outputContent,
    chosenIndex: -1,
    reasoning: '',
    confidence: null,
    method: span.requestModel !== '' ? 'llm' : '',
  };
}

/**
 * Messages to other agents from `agentflow.message` events. The receiving session is the first
 * session of that agent in the trace that starts at or after the message, when there is one.
 */
export function deriveMessages(session: SessionNode, all: readonly SessionNode[], version: bigint): CommunicationRow[] {
  const rows: CommunicationRow[] = [];
  for (const span of spansOf(session)) {
    span.messages.forEach((message, index) => {
      const receiver = all.find((s) => s !== session && s.span.agentName === message.toAgent && s.span.startTimeUnixNano >= message.timeUnixNano - CLOCK_SLACK_NS);
      rows.push({
        tenantId: span.tenantId,
        communicationId: `message:${span.spanId}:${index}`,
        traceId: span.traceId,
        fromSessionId: session.span.spanId,
        toSessionId: receiver?.span.spanId ?? '',
        fromAgent: session.span.agentName,
        toAgent: message.toAgent,
        messageType: message.type || 'message',
        requestId: message.requestId,
        inResponseTo: message.inResponseTo,
        channel: message.channel,
        sentAt: message.timeUnixNano,
        version,
      });
    });
  }
  return rows;
}
