import type { RunningSessionPage, SessionPage } from '../api/sessions/index.js';
import { CliError, EXIT, getJson, type ServerTarget } from './http.js';
import { nextPageHint } from './next-page.js';
import { formatCost, formatCount, formatDuration, formatTime } from './session-format.js';
import { renderTable } from './table.js';

/** Filters and paging of `agentflow sessions`. */
export interface SessionsOptions {
  agent?: string | undefined;
  status?: string | undefined;
  limit?: string | undefined;
  cursor?: string | undefined;
  json: boolean;
}

/**
 * `agentflow sessions [--agent X] [--status S] [--limit N] [--cursor C]`: the most recent
 * sessions as a table, newest first, and how to ask for the next page. `--status running` lists
 * the sessions running now: how long each has been idle, whether its process is still there, and
 * its open anomalies.
 */
export async function sessionsCommand(target: ServerTarget, options: SessionsOptions, out: (text: string) => void): Promise<void> {
  if (options.limit !== undefined && !/^[1-9]\d*$/.test(options.limit)) {
    throw new CliError(EXIT.USAGE, `--limit takes a positive whole number, not '${options.limit}'`);
  }
  const params = new URLSearchParams();
  if (options.agent) params.set('agent', options.agent);
  if (options.status) params.set('status', options.status);
  if (options.limit) params.set('limit', options.limit);
  if (options.cursor) params.set('cursor', options.cursor);
  const path = `/api/v1/sessions${params.size > 0 ? `?${params}` : ''}`;
  const running = options.status === 'running';
  const page = running ? await getJson<RunningSessionPage>(target, path) : await getJson<SessionPage>(target, path);
  if (options.json) {
    out(JSON.stringify(page, null, 2));
    return;
  }
  out(running ? runningTable(page as RunningSessionPage) : historyTable(page as SessionPage));
  const rows = page.sessions.length;
  out(`${rows} session${rows === 1 ? '' : 's'}${page.next_cursor ? '' : ' (end of list)'}`);
  if (page.next_cursor) {
    out(nextPageHint('sessions', [['agent', options.agent], ['status', options.status], ['limit', options.limit]], page.next_cursor));
  }
}

function historyTable(page: SessionPage): string {
  return renderTable(['started', 'agent', 'status', 'duration', 'llm', 'tools', 'tokens', 'cost', 'session'], page.sessions.map((s) => ({
    started: formatTime(s.started_at),
    agent: s.agent_name,
    status: s.status,
    duration: s.status === 'running' ? 'running' : formatDuration(s.duration_ms),
    llm: s.llm_calls,
    tools: s.tool_calls,
    tokens: formatCount(s.input_tokens + s.output_tokens),
    cost: formatCost(s.cost_usd),
    session: s.session_id,
  })));
}

/** Sessions running now; `orphaned` when the registry says their process went offline. */
function runningTable(page: RunningSessionPage): string {
  return renderTable(['agent', 'session', 'started', 'idle', 'status', 'open anomalies', 'activity'], page.sessions.map((s) => ({
    agent: s.agent_name,
    session: s.session_id,
    started: formatTime(s.started_at),
    idle: formatDuration(s.idle_ms),
    status: s.process_status,
    'open anomalies': s.open_anomalies,
    activity: s.current_activity,
  })));
}
