import type { AgentFiredAnswer } from '../api/analytics/index.js';
import { getJson, type ServerTarget } from './http.js';
import { formatDuration, formatTime } from './session-format.js';
import { renderTable } from './table.js';

/**
 * `agentflow debug-agent <agent> --conversation <id>`: why the agent did or did not run in the
 * conversation (never invoked, skipped, failed, fired), with the evidence as tables; `--json`
 * prints the API's answer.
 */
export async function debugAgentCommand(target: ServerTarget, agent: string, conversation: string, json: boolean, out: (text: string) => void): Promise<void> {
  const params = new URLSearchParams({ agent, conversation });
  const answer = await getJson<AgentFiredAnswer>(target, `/api/v1/debug/agent-fired?${params}`);
  out(json ? JSON.stringify(answer, null, 2) : renderAnswer(answer));
}

/** The verdict, its explanation, then each kind of evidence found. */
export function renderAnswer(a: AgentFiredAnswer): string {
  const e = a.evidence;
  const lines = [`${a.agent} in conversation ${a.conversation}: ${a.verdict.replace('_', ' ').toUpperCase()}`, `  ${a.explanation}`];
  const table = (title: string, columns: string[], rows: Record<string, unknown>[]) => {
    if (rows.length === 0) return;
    lines.push('', title, ...renderTable(columns, rows).split('\n').map((l) => `  ${l}`));
  };
  table(`sessions of ${a.agent}`, ['started', 'status', 'duration', 'error', 'session'], e.sessions.map((s) => ({
    started: formatTime(s.started_at), status: s.live ? 'running (live)' : s.status,
    duration: s.duration_ms === null ? '' : formatDuration(s.duration_ms),
    error: [s.error_type, s.error_message].filter((x) => x !== '').join(': '), session: s.session_id,
  })));
  table('failed actions', ['started', 'step', 'type', 'error', 'session'], e.failed_actions.map((f) => ({
    started: formatTime(f.started_at), step: f.tool_name || f.name, type: f.action_type,
    error: [f.error_type, f.error].filter((x) => x !== '').join(': '), session: f.session_id,
  })));
  table(`decisions naming ${a.agent}`, ['decided', 'by', 'question', 'options', 'chosen'], e.decisions.map((d) => ({
    decided: formatTime(d.decided_at), by: d.decided_by, question: d.question, options: d.options.join(' | '), chosen: d.chosen,
  })));
  table(`handed to ${a.agent}`, ['sent', 'from', 'type', 'received by'], e.handovers.map((h) => ({
    sent: formatTime(h.sent_at), from: h.from_agent, type: h.message_type, 'received by': h.to_session_id || '(no session)',
  })));
  table('agents in the conversation', ['agent', 'sessions', 'completed', 'failed', 'running', 'first', 'last'], e.conversation_agents.map((c) => ({
    agent: c.agent, sessions: c.sessions, completed: c.completed, failed: c.failed, running: c.running,
    first: formatTime(c.first_started_at), last: formatTime(c.last_started_at),
  })));
  if (e.elsewhere) {
    const w = e.elsewhere;
    lines.push('', w.sessions === 0
      ? `elsewhere: ${a.agent} did not run in the last ${w.days} days`
      : `elsewhere: ${a.agent} ran ${w.sessions} times (${w.completed} completed) in the last ${w.days} days, last ${formatTime(w.last_started_at)} in conversation ${w.last_conversation || '(none)'}`);
  }
  return lines.join('\n');
}
