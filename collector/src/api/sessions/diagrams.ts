import type { Action, Communication, Transition } from './record-rows.js';
import type { SessionSummary } from './session-rows.js';
import { mermaidLabel } from './mermaid-text.js';

/** Diagram types of `GET /sessions/:id/diagram`. */
export const DIAGRAM_TYPES = ['sequence', 'state', 'flow'] as const;
export type DiagramType = (typeof DIAGRAM_TYPES)[number];

/**
 * Agent-to-agent sequence diagram of a multi-agent tree: one participant per agent (by name),
 * delegations, handoffs and messages as arrows between them, each agent's tool calls as messages
 * to itself, and each sub-agent's end as a dashed reply to the agent that started it, in time order.
 */
export function sequenceDiagram(sessions: readonly SessionSummary[], communications: readonly Communication[], toolCalls: readonly Action[]): string {
  const byId = new Map(sessions.map((s) => [s.session_id, s]));
  const participants = new Map<string, string>();
  const participant = (agent: string) => {
    const name = agent || '(unnamed agent)';
    let id = participants.get(name);
    if (id === undefined) participants.set(name, (id = `p${participants.size}`));
    return id;
  };
  for (const s of sessions) participant(s.agent_name);
  const steps: { at: string; order: number; line: string }[] = [];
  for (const c of communications) {
    const from = c.from_agent || byId.get(c.from_session_id)?.agent_name || '';
    const to = c.to_agent || byId.get(c.to_session_id)?.agent_name || '';
    if (c.message_type === 'link' && from === '') continue; // a link from another trace names no sender here
    const label = c.message_type === 'delegation' ? 'delegates' : c.message_type === 'handoff' ? 'hands off' : c.message_type;
    steps.push({ at: c.sent_at, order: 0, line: `${participant(from)}->>${participant(to)}: ${mermaidLabel(label)}` });
  }
  for (const a of toolCalls) {
    const agent = byId.get(a.session_id)?.agent_name ?? a.agent_name;
    const failed = a.status === 'failed' ? ' (failed)' : '';
    steps.push({ at: a.started_at, order: 1, line: `${participant(agent)}->>${participant(agent)}: ${mermaidLabel(`${a.tool_name || a.name}${failed}`)}` });
  }
  for (const s of sessions) {
    const parent = byId.get(s.parent_session_id);
    if (!parent || s.ended_at === null) continue;
    steps.push({ at: s.ended_at, order: 2, line: `${participant(s.agent_name)}-->>${participant(parent.agent_name)}: ${mermaidLabel(s.status)}` });
  }
  steps.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));
  return [
    'sequenceDiagram',
    ...[...participants].map(([name, id]) => `    participant ${id} as ${mermaidLabel(name)}`),
    ...steps.map((s) => `    ${s.line}`),
  ].join('\n');
}

/**
 * The state machine a session actually walked, as `stateDiagram-v2`: each state once, each
 * observed change an edge labelled with how often it happened, from the start and to the end.
 */
export function stateDiagram(session: SessionSummary, transitions: readonly Transition[]): string {
  const lines = ['stateDiagram-v2'];
  if (transitions.length === 0) return [...lines, '    %% no state changes were recorded for this session'].join('\n');
  const ids = new Map<string, string>();
  const state = (name: string) => {
    let id = ids.get(name);
    if (id === undefined) ids.set(name, (id = `s${ids.size}`));
    return id;
  };
  const edges = new Map<string, number>();
  const count = (from: string, to: string) => edges.set(`${from}\u0000${to}`, (edges.get(`${from}\u0000${to}`) ?? 0) + 1);
  const first = transitions[0] as Transition;
  if (first.from_state !== '') count('[*]', state(first.from_state));
  let previous = '';
  for (const t of transitions) {
    // A change that does not name where it came from left the state the previous one entered.
    const from = t.from_state || previous;
    count(from === '' ? '[*]' : state(from), state(t.to_state));
    previous = t.to_state;
  }
  if (session.ended_at !== null) count(state(previous), '[*]');
  lines.push(...[...ids].map(([name, id]) => `    state "${mermaidLabel(name)}" as ${id}`));
  for (const [key, n] of edges) {
    const [from, to] = key.split('\u0000') as [string, string];
    const label = to === '[*]' ? session.status : `${n}×`;
    lines.push(`    ${from} --> ${to}: ${mermaidLabel(label)}`);
  }
  return lines.join('\n');
}

/**
 * The session's actions in order as a `flowchart`: LLM calls as boxes, tool calls as subroutines,
 * other actions as rounded boxes, failures marked and styled, from the start to the session's end.
 */
export function flowDiagram(session: SessionSummary, actions: readonly Action[]): string {
  const lines = ['flowchart TD'];
  lines.push(`    start(["${mermaidLabel(`${session.agent_name}${session.goal ? `: ${session.goal}` : ''}`)}"])`);
  const failed: string[] = [];
  let previous = 'start';
  for (const a of [...actions].sort((x, y) => x.sequence - y.sequence)) {
    const id = `a${a.sequence}`;
    const label = mermaidLabel(actionLabel(a), { multiline: true, max: 160 });
    const shape = a.action_type === 'llm_call' ? [`["`, `"]`] : a.action_type === 'tool_call' ? [`[["`, `"]]`] : [`("`, `")`];
    lines.push(`    ${id}${shape[0]}${label}${shape[1]}`);
    lines.push(`    ${previous} --> ${id}`);
    if (a.status === 'failed') failed.push(id);
    previous = id;
  }
  // "end" is a keyword in flowcharts: the last node needs another id.
  lines.push(`    finish(["${mermaidLabel(session.ended_at === null ? 'running' : session.status)}"])`);
  lines.push(`    ${previous} --> finish`);
  if (session.status === 'failed') failed.push('finish');
  if (failed.length > 0) {
    lines.push('    classDef failed fill:#fde2e2,stroke:#c62828,color:#8e0000');
    lines.push(`    class ${failed.join(',')} failed`);
  }
  return lines.join('\n');
}

function actionLabel(a: Action): string {
  const ms = `${Math.round(a.duration_ms)} ms`;
  const failure = a.status === 'failed' ? `\nFAILED: ${a.error_type || a.error || 'error'}` : '';
  if (a.action_type === 'llm_call') {
    const model = a.model || a.request_model || a.name;
    return `${a.sequence}. LLM ${model}\n${a.input_tokens} in / ${a.output_tokens} out · ${ms}${failure}`;
  }
  if (a.action_type === 'tool_call') return `${a.sequence}. tool ${a.tool_name || a.name}\n${ms}${failure}`;
  return `${a.sequence}. ${a.action_type} ${a.name}\n${ms}${failure}`;
}
