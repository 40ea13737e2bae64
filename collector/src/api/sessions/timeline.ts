import type { Action, Communication, Decision, Transition } from './record-rows.js';
import type { SessionSummary } from './session-rows.js';
import { msBetween, parseIsoNs } from './time.js';

/** One entry of a session's timeline: when, what, and how long it lasted (null for a moment in time). */
export type TimelineItem = {
  /** ISO 8601 UTC, nanoseconds. */
  at: string;
  /** Milliseconds since the session started. */
  offset_ms: number;
} & TimelineEvent;

/** What happened at one point of a session's timeline. */
type TimelineEvent = { duration_ms: number | null } & (
  | { kind: 'session_start'; agent_name: string; goal: string }
  | { kind: 'transition'; sequence: number; from_state: string; to_state: string; reason: string; transition_type: string }
  | {
    kind: 'action'; action_id: string; sequence: number; action_type: string; name: string; tool_name: string; model: string;
    status: string; input_tokens: number; output_tokens: number; cost_usd: number;
  }
  | { kind: 'decision'; decision_type: string; question: string; chosen: string; confidence: number | null }
  | {
    kind: 'message'; direction: 'out' | 'in'; message_type: string; from_agent: string; to_agent: string;
    /** The session on the other end; '' when not known. */
    peer_session_id: string;
  }
  | { kind: 'error'; source: 'action' | 'session'; action_id: string; error_type: string; message: string }
  | { kind: 'session_end'; status: string }
);

/** The kinds of timeline entries. */
export type TimelineKind = TimelineItem['kind'];

/** Among items at the same instant: the session opens first, a state is entered before what happens in it, errors after their action, the end last. */
const RANK: Record<TimelineKind, number> = { session_start: 0, transition: 1, decision: 2, message: 3, action: 4, error: 5, session_end: 6 };

/** What the timeline is built from: one session and its records. */
export interface TimelineInput {
  session: SessionSummary;
  actions: readonly Action[];
  transitions: readonly Transition[];
  decisions: readonly Decision[];
  communications: readonly Communication[];
}

/**
 * Merges a session's state transitions, actions, decisions, messages and errors into one list
 * ordered by time, framed by the session's start and (unless it still runs) its end.
 */
export function buildTimeline(input: TimelineInput): TimelineItem[] {
  const { session } = input;
  const startNs = nsOf(session.started_at);
  const items: { ns: bigint; order: number; item: TimelineItem }[] = [];
  const add = (at: string, order: number, fields: TimelineEvent) => {
    const ns = nsOf(at);
    items.push({ ns, order, item: { at, offset_ms: msBetween(startNs, ns), ...fields } });
  };
  add(session.started_at, 0, { kind: 'session_start', duration_ms: null, agent_name: session.agent_name, goal: session.goal });
  for (const t of input.transitions) {
    add(t.entered_at, t.sequence, {
      kind: 'transition', duration_ms: t.duration_ms, sequence: t.sequence, from_state: t.from_state, to_state: t.to_state,
      reason: t.reason, transition_type: t.transition_type,
    });
  }
  input.decisions.forEach((d, i) => add(d.decided_at, i, {
    kind: 'decision', duration_ms: null, decision_type: d.decision_type, question: d.question, chosen: d.chosen, confidence: d.confidence,
  }));
  input.communications.forEach((c, i) => {
    const out = c.from_session_id === session.session_id;
    add(c.sent_at, i, {
      kind: 'message', duration_ms: null, direction: out ? 'out' : 'in', message_type: c.message_type, from_agent: c.from_agent,
      to_agent: c.to_agent, peer_session_id: out ? c.to_session_id : c.from_session_id,
    });
  });
  for (const a of input.actions) {
    add(a.started_at, a.sequence, {
      kind: 'action', duration_ms: a.duration_ms, action_id: a.action_id, sequence: a.sequence, action_type: a.action_type,
      name: a.name, tool_name: a.tool_name, model: a.model || a.request_model, status: a.status, input_tokens: a.input_tokens,
      output_tokens: a.output_tokens, cost_usd: a.cost_usd,
    });
    if (a.status === 'failed') {
      add(a.ended_at, a.sequence, { kind: 'error', duration_ms: null, source: 'action', action_id: a.action_id, error_type: a.error_type, message: a.error });
    }
  }
  if (session.ended_at !== null) {
    if (session.status === 'failed') {
      add(session.ended_at, 0, {
        kind: 'error', duration_ms: null, source: 'session', action_id: '', error_type: session.error_type, message: session.error_message,
      });
    }
    add(session.ended_at, 0, { kind: 'session_end', duration_ms: session.duration_ms, status: session.status });
  }
  items.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : RANK[a.item.kind] - RANK[b.item.kind] || a.order - b.order));
  return items.map((i) => i.item);
}

function nsOf(iso: string): bigint {
  const ns = parseIsoNs(iso);
  if (ns === null) throw new Error(`not an ISO time: ${iso}`);
  return ns;
}
