import type { SessionDetail, TimelineItem, TreeNode } from '../api/sessions/index.js';
import { formatCost, formatCount, formatDuration, formatTime, headerLines } from './session-format.js';
import { anomalyCount, anomalySection, timelineMarks, type TimelineMarks } from './show-anomalies.js';

/** Width of the waterfall's bar area, in characters; the session's whole duration spans it. */
export const WATERFALL_WIDTH = 40;
const LABEL_WIDTH = 32;

/** `agentflow show` for people: header, timeline with anomalies marked, anomalies, waterfall of actions, tree of sessions. */
export function renderSession(detail: SessionDetail, tree: TreeNode | null): string {
  const anomalies = detail.anomalies ?? [];
  return [
    header(detail), '', 'timeline', ...timeline(detail.timeline, timelineMarks(detail.timeline, anomalies)), '', 'anomalies',
    ...anomalySection(anomalies), '', ...waterfall(detail), '', 'tree', ...treeLines(tree),
  ].join('\n');
}

function header(detail: SessionDetail): string {
  const { session: s, totals } = detail;
  const { lines, field } = headerLines(s, s.status);
  field('started', `${formatTime(s.started_at)} UTC`);
  field('duration', s.status === 'running' ? 'running' : formatDuration(s.duration_ms));
  field('calls', `${s.llm_calls} llm, ${s.tool_calls} tool, ${s.actions} actions, ${s.errors} error${s.errors === 1 ? '' : 's'}`);
  field('tokens', `${formatCount(s.input_tokens)} in / ${formatCount(s.output_tokens)} out` +
    (s.cache_read_tokens > 0 ? `, ${formatCount(s.cache_read_tokens)} cache read` : ''));
  field('cost', formatCost(s.cost_usd) + (s.unpriced_calls > 0 ? ` (+${s.unpriced_calls} unpriced calls)` : ''));
  if (totals.subtree.sessions > 1) {
    field('with agents', `${totals.subtree.sessions} sessions, ${totals.subtree.llm_calls} llm, ${totals.subtree.tool_calls} tool, ` +
      `${formatCount(totals.subtree.input_tokens)} in / ${formatCount(totals.subtree.output_tokens)} out, ${formatCost(totals.subtree.cost_usd)}`);
  }
  field('workflow', s.workflow_name);
  field('conversation', s.conversation_id);
  field('user', s.user_id);
  if (s.error_type || s.error_message) field('error', [s.error_type, s.error_message].filter(Boolean).join(': '));
  field('anomalies', anomalyCount(detail.anomalies ?? []));
  return lines.join('\n');
}

/** One line per entry; a `!` in the margin of anomaly evidence, and a `!` line per anomaly (see show-anomalies.ts). */
function timeline(items: readonly TimelineItem[], marks: TimelineMarks): string[] {
  return items.flatMap((item, i) => {
    const offset = `+${formatDuration(item.offset_ms)}`.padEnd(11);
    const duration = item.duration_ms === null || item.kind === 'session_end' ? '' : `  (${formatDuration(item.duration_ms)})`;
    const [kind, text] = describe(item);
    const margin = marks.flagged.has(i) ? '! ' : '  ';
    return [`${margin}${offset} ${kind.padEnd(10)} ${text}${duration}`, ...(marks.after.get(i) ?? []).map((m) => `  ${' '.repeat(11)} ${'!'.padEnd(10)} ${m}`)];
  });
}

function describe(item: TimelineItem): [string, string] {
  switch (item.kind) {
    case 'session_start':
      return ['start', item.agent_name];
    case 'transition':
      return ['state', `${item.from_state || '∅'} → ${item.to_state}${item.reason ? ` (${item.reason})` : ''}`];
    case 'action': {
      const what = item.action_type === 'tool_call' ? item.tool_name || item.name : item.action_type === 'llm_call' ? item.model || item.name : item.name;
      const tokens = item.input_tokens + item.output_tokens > 0 ? `  ${item.input_tokens} in / ${item.output_tokens} out` : '';
      return [item.action_type, `${what}${item.status === 'failed' ? ' FAILED' : ''}${tokens}`];
    }
    case 'decision':
      return ['decision', `${item.decision_type ? `${item.decision_type}: ` : ''}${item.question} → ${item.chosen}`];
    case 'message':
      return ['message', item.direction === 'out'
        ? `→ ${item.to_agent || item.peer_session_id} (${item.message_type})`
        : `← ${item.from_agent || item.peer_session_id} (${item.message_type})`];
    case 'error':
      return ['error', [item.error_type, item.message].filter(Boolean).join(': ') || 'failed'];
    case 'session_end':
      return ['end', `${item.status} after ${formatDuration(item.duration_ms)}`];
  }
}

/** One line per action: a bar placed and sized by its start and duration within the session. */
function waterfall(detail: SessionDetail): string[] {
  const actions = detail.timeline.filter((i): i is Extract<TimelineItem, { kind: 'action' }> => i.kind === 'action');
  const end = Math.max(detail.session.status === 'running' ? 0 : detail.session.duration_ms, ...actions.map((a) => a.offset_ms + (a.duration_ms ?? 0)));
  const lines = [`waterfall (${formatDuration(end)} = ${WATERFALL_WIDTH} columns)`];
  if (actions.length === 0) return [...lines, '  (no actions)'];
  for (const a of actions) {
    const start = end > 0 ? Math.min(WATERFALL_WIDTH - 1, Math.floor((a.offset_ms / end) * WATERFALL_WIDTH)) : 0;
    const length = Math.max(1, Math.min(WATERFALL_WIDTH - start, Math.round(((a.duration_ms ?? 0) / end) * WATERFALL_WIDTH) || 1));
    const bar = '·'.repeat(start) + (a.status === 'failed' ? '▒' : '█').repeat(length) + '·'.repeat(WATERFALL_WIDTH - start - length);
    const what = a.action_type === 'tool_call' ? a.tool_name || a.name : a.action_type === 'llm_call' ? a.model || a.name : a.name;
    const label = `#${a.sequence} ${a.action_type} ${what}`;
    const cut = label.length > LABEL_WIDTH ? `${label.slice(0, LABEL_WIDTH - 1)}…` : label.padEnd(LABEL_WIDTH);
    lines.push(`  ${cut} |${bar}| ${formatDuration(a.duration_ms)}${a.status === 'failed' ? ' FAILED' : ''}`);
  }
  return lines;
}

function treeLines(tree: TreeNode | null): string[] {
  if (!tree) return ['  (no tree)'];
  const lines: string[] = [];
  const walk = (node: TreeNode, prefix: string, branch: string) => {
    const s = node.session;
    lines.push(`  ${prefix}${branch}${s.agent_name}  ${s.status}  ${s.status === 'running' ? 'running' : formatDuration(s.duration_ms)}  ` +
      `${s.llm_calls} llm, ${s.tool_calls} tool  ${formatCost(s.cost_usd)}  ${s.session_id}`);
    const childPrefix = prefix + (branch === '├─ ' ? '│  ' : branch === '└─ ' ? '   ' : '');
    node.children.forEach((child, i) => walk(child, childPrefix, i === node.children.length - 1 ? '└─ ' : '├─ '));
  };
  walk(tree, '', '');
  return lines;
}
