/**
 * "Why did agent X not fire for conversation Y": the verdict and its one-line explanation, from
 * the evidence the API gathers (`api/analytics/agent-fired.ts`). Pure, so each case is tested on its own.
 */

/** never_invoked: nothing in the conversation asked for it; skipped: something did, yet it never ran; failed: it ran and failed; fired: it ran (or runs now). */
export type FiredVerdict = 'never_invoked' | 'skipped' | 'failed' | 'fired';

/** A session in the conversation: recorded, or running now and known only from its start record (`live`). */
export interface ConversationSession {
  session_id: string;
  trace_id: string;
  parent_session_id: string;
  agent: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  error_type: string;
  error_message: string;
  live: boolean;
  /** For a live session: time since the last span started in its trace. */
  idle_ms: number | null;
}

/** A failed action of one of the agent's sessions. */
export interface FailedAction {
  session_id: string;
  sequence: number;
  action_type: string;
  name: string;
  tool_name: string;
  error_type: string;
  error: string;
  started_at: string;
}

/** A decision in the conversation whose options or choice name the agent. */
export interface AgentDecision {
  session_id: string;
  /** The agent that decided. */
  decided_by: string;
  decision_type: string;
  question: string;
  options: string[];
  chosen: string;
  /** True when the choice named the agent, false when another option was chosen. */
  chose_agent: boolean;
  decided_at: string;
}

/** A delegation, handoff or message addressed to the agent in the conversation's traces. */
export interface Handover {
  message_type: string;
  from_agent: string;
  from_session_id: string;
  /** The session that received it; '' when none of the agent's sessions followed in that trace. */
  to_session_id: string;
  sent_at: string;
}

/** One agent that ran in the conversation. */
export interface ConversationAgent {
  agent: string;
  sessions: number;
  completed: number;
  failed: number;
  running: number;
  first_started_at: string;
  last_started_at: string;
}

/** The agent's sessions outside the conversation over the last days. */
export interface Elsewhere {
  days: number;
  sessions: number;
  completed: number;
  last_started_at: string | null;
  last_conversation: string | null;
}

/** Everything looked at to reach the verdict. */
export interface FiredEvidence {
  /** The agent's sessions in the conversation, oldest first. */
  sessions: ConversationSession[];
  failed_actions: FailedAction[];
  decisions: AgentDecision[];
  handovers: Handover[];
  /** Every agent that ran in the conversation, the asked one included. */
  conversation_agents: ConversationAgent[];
  /** Only when the agent did not run in the conversation: did it run elsewhere? */
  elsewhere: Elsewhere | null;
}

/** Answer of `GET /debug/agent-fired`. */
export interface AgentFiredAnswer {
  agent: string;
  conversation: string;
  verdict: FiredVerdict;
  explanation: string;
  evidence: FiredEvidence;
}

const FAILED = new Set(['failed', 'timed_out', 'cancelled']);

/** The verdict the evidence supports, explained in one line. */
export function judge(agent: string, conversation: string, e: FiredEvidence): { verdict: FiredVerdict; explanation: string } {
  const running = e.sessions.filter((s) => s.status === 'running');
  const completed = e.sessions.filter((s) => s.status === 'completed');
  if (running.length > 0 || completed.length > 0) {
    const failed = e.sessions.length - running.length - completed.length;
    const now = running[0];
    const parts = [
      completed.length > 0 ? `completed ${times(completed.length)} (last at ${completed.at(-1)?.started_at})` : '',
      failed > 0 ? `failed ${times(failed)}` : '',
      now ? `is running now (started ${now.started_at}${now.idle_ms !== null ? `, idle ${seconds(now.idle_ms)}` : ''})` : '',
    ].filter((p) => p !== '');
    return { verdict: 'fired', explanation: `${agent} fired in conversation ${conversation}: it ${parts.join(', ')}.` };
  }
  if (e.sessions.length > 0) {
    const last = e.sessions.at(-1) as ConversationSession;
    const action = e.failed_actions.find((a) => a.session_id === last.session_id);
    const where = action ? `; failed step: ${action.tool_name || action.name}${action.error_type ? ` (${action.error_type})` : ''}` : '';
    const what = [last.error_type, last.error_message].filter((x) => x !== '').join(': ') || 'no error recorded';
    const tally = e.sessions.length === 1 ? 'its only session' : `all ${e.sessions.length} of its sessions`;
    return { verdict: 'failed', explanation: `${agent} ran in conversation ${conversation} but ${tally} ended ${last.status}: ${what}${where}.` };
  }
  const passedOver = e.decisions.find((d) => !d.chose_agent);
  if (passedOver) {
    return {
      verdict: 'skipped',
      explanation: `${passedOver.decided_by} decided${passedOver.decision_type ? ` (${passedOver.decision_type})` : ''} at ${passedOver.decided_at} `
        + `to choose "${passedOver.chosen}" over ${agent}; ${agent} never ran in conversation ${conversation}.`,
    };
  }
  const handover = e.handovers[0];
  if (handover) {
    return {
      verdict: 'skipped',
      explanation: `${handover.from_agent || 'another agent'} handed work to ${agent} (${handover.message_type}) at ${handover.sent_at}, `
        + `but no ${agent} session followed in conversation ${conversation}.`,
    };
  }
  const chosen = e.decisions[0];
  if (chosen) {
    return {
      verdict: 'skipped',
      explanation: `${chosen.decided_by} chose ${agent} at ${chosen.decided_at}, but no ${agent} session followed in conversation ${conversation}.`,
    };
  }
  return { verdict: 'never_invoked', explanation: neverInvoked(agent, conversation, e) };
}

function neverInvoked(agent: string, conversation: string, e: FiredEvidence): string {
  const ran = e.conversation_agents.length === 0
    ? `no agent session is recorded for conversation ${conversation} at all (check the conversation id)`
    : `nothing in conversation ${conversation} asked for it; there ${e.conversation_agents.map((a) => `${a.agent} ran ${times(a.sessions)}`).join(', ')}`;
  const w = e.elsewhere;
  const elsewhere = !w ? '' : w.sessions === 0
    ? `; ${agent} did not run anywhere in the last ${w.days} days`
    : `; ${agent} ran ${times(w.sessions)} elsewhere in the last ${w.days} days, last at ${w.last_started_at}${w.last_conversation ? ` (conversation ${w.last_conversation})` : ''}`;
  return `${agent} was never invoked: ${ran}${elsewhere}.`;
}

/** Whether a status ends a session without success. */
export function isFailedStatus(status: string): boolean {
  return FAILED.has(status);
}

function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
