import type { AnalyticsReport, Overview, SessionFigures } from '../api/analytics/index.js';
import { formatCost, formatCount, formatDuration, formatTime } from './session-format.js';
import { renderTable } from './table.js';

/** Rows of a list shown at most, so a long tail does not bury the suggestions. */
const MAX_ROWS = 15;

/** `agentflow stats` for people: the summary, tables per figure, then the suggestions. */
export function renderStats(report: AnalyticsReport | Overview): string {
  const s = report.summary;
  const who = report.agent === null ? 'all agents' : `agent ${report.agent}`;
  const lines = [
    `stats for ${who}, ${formatTime(report.range.from)} → ${formatTime(report.range.to)} UTC`,
    '',
    field('executions', `${s.executions} (${s.completed} completed, ${s.failed} failed, ${s.timed_out} timed out, ${s.cancelled} cancelled, ${s.running} running`
      + `${s.stale_running > 0 ? `, ${s.stale_running} running over an hour` : ''})`),
    field('success', s.success_rate === null ? 'n/a (none ended)' : `${percent(s.success_rate)} of ${s.ended} ended`),
    field('duration', `p50 ${ms(s.duration_ms.p50)}  p95 ${ms(s.duration_ms.p95)}  p99 ${ms(s.duration_ms.p99)}  avg ${ms(s.duration_ms.avg)}  max ${ms(s.duration_ms.max)}`),
    field('calls', `${formatCount(s.llm_calls)} llm, ${formatCount(s.tool_calls)} tool`),
    field('tokens', `${formatCount(s.input_tokens)} in / ${formatCount(s.output_tokens)} out`),
    field('cost', `${formatCost(s.cost_usd)}${report.cost.unpriced_calls > 0
      ? ` (lower bound: ${report.cost.unpriced_calls} unpriced call${report.cost.unpriced_calls === 1 ? '' : 's'} to ${report.cost.unpriced_models.join(', ')})` : ''}`),
  ];
  if ('agents' in report) {
    section(lines, 'agents', ['agent', 'runs', 'success', 'p50', 'p95', 'p99', 'failed', 'running', 'cost'], report.agents.map((a) => ({
      agent: a.agent, runs: a.executions, success: rate(a), p50: ms(a.duration_ms.p50), p95: ms(a.duration_ms.p95), p99: ms(a.duration_ms.p99),
      failed: a.failed + a.timed_out, running: a.running, cost: formatCost(a.cost_usd),
    })));
  }
  section(lines, 'hours of the day (UTC)', ['hour', 'runs', 'failures'], report.hourly.by_hour_of_day.filter((h) => h.executions > 0).map((h) => ({
    hour: `${String(h.hour).padStart(2, '0')}:00`, runs: h.executions, failures: h.failures,
  })));
  section(lines, 'failures by error type', ['error', 'sessions', 'share', 'agents', 'latest message'], report.failures.map((f) => ({
    error: f.error_type || '(none)', sessions: f.sessions, share: percent(f.share), agents: f.agents.join(', '), 'latest message': f.sample_message,
  })));
  section(lines, 'slowest steps', ['agent', 'type', 'step', 'calls', 'p50', 'p95', 'total', 'of session time'], report.bottlenecks.map((b) => ({
    agent: b.agent, type: b.action_type, step: b.step, calls: b.calls, p50: ms(b.p50_ms), p95: ms(b.p95_ms), total: ms(b.total_ms),
    'of session time': b.share_of_session_time === null ? '' : percent(b.share_of_session_time),
  })));
  section(lines, 'tools', ['tool', 'calls', 'failures', 'success', 'p95', 'retries', 'agents'], report.tools.map((t) => ({
    tool: t.tool, calls: t.calls, failures: t.failures, success: percent(t.success_rate), p95: ms(t.p95_ms), retries: t.retries, agents: t.agents.join(', '),
  })));
  section(lines, 'cost by model', ['model', 'provider', 'calls', 'in', 'out', 'cost', 'share', 'unpriced'], report.cost.by_model.map((m) => ({
    model: m.model, provider: m.provider, calls: m.calls, in: formatCount(m.input_tokens), out: formatCount(m.output_tokens),
    cost: formatCost(m.cost_usd), share: m.share === null ? '' : percent(m.share), unpriced: m.unpriced_calls,
  })));
  section(lines, 'cost by task', ['goal type', 'workflow', 'sessions', 'success', 'cost'], report.cost.by_task.map((t) => ({
    'goal type': t.goal_type, workflow: t.workflow, sessions: t.sessions, success: t.success_rate === null ? '' : percent(t.success_rate),
    cost: formatCost(t.cost_usd),
  })));
  section(lines, 'repeated identical tool calls', ['agent', 'tool', 'sessions', 'calls', 'most in one session'], report.repeated_tool_calls.map((r) => ({
    agent: r.agent, tool: r.tool, sessions: r.sessions, calls: r.calls, 'most in one session': r.max_repeats,
  })));
  lines.push('', 'suggestions');
  if (report.suggestions.length === 0) lines.push('  none: no rule was triggered');
  for (const s of report.suggestions) lines.push(`  [${s.severity}] ${s.message}`);
  return lines.join('\n');
}

function field(name: string, value: string): string {
  return `  ${name.padEnd(12)}${value}`;
}

function section(lines: string[], title: string, columns: string[], rows: Record<string, unknown>[]): void {
  lines.push('', title);
  if (rows.length === 0) {
    lines.push('  (none)');
    return;
  }
  const shown = rows.slice(0, MAX_ROWS);
  lines.push(...renderTable(columns, shown).split('\n').map((l) => `  ${l}`));
  if (rows.length > shown.length) lines.push(`  … ${rows.length - shown.length} more (--json for all)`);
}

function rate(f: SessionFigures): string {
  return f.success_rate === null ? '' : percent(f.success_rate);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function ms(value: number | null): string {
  return value === null ? '-' : formatDuration(value);
}
