import type { SessionPage } from '../api/sessions/index.js';
import { CliError, EXIT, getJson, type ServerTarget } from './http.js';
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
 * sessions as a table, newest first, and how to ask for the next page.
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
  const page = await getJson<SessionPage>(target, `/api/v1/sessions${params.size > 0 ? `?${params}` : ''}`);
  if (options.json) {
    out(JSON.stringify(page, null, 2));
    return;
  }
  const rows = page.sessions.map((s) => ({
    started: formatTime(s.started_at),
    agent: s.agent_name,
    status: s.status,
    duration: s.status === 'running' ? 'running' : formatDuration(s.duration_ms),
    llm: s.llm_calls,
    tools: s.tool_calls,
    tokens: formatCount(s.input_tokens + s.output_tokens),
    cost: formatCost(s.cost_usd),
    session: s.session_id,
  }));
  out(renderTable(['started', 'agent', 'status', 'duration', 'llm', 'tools', 'tokens', 'cost', 'session'], rows));
  out(`${rows.length} session${rows.length === 1 ? '' : 's'}${page.next_cursor ? '' : ' (end of list)'}`);
  if (page.next_cursor) {
    const again = [
      options.agent ? `--agent ${shellWord(options.agent)}` : '', options.status ? `--status ${shellWord(options.status)}` : '',
      options.limit ? `--limit ${options.limit}` : '',
    ].filter((w) => w !== '').join(' ');
    out(`next page: agentflow sessions ${again ? `${again} ` : ''}--cursor ${page.next_cursor}`);
  }
}

/** A word quoted for a POSIX shell when it needs it, so the hint can be pasted back. */
function shellWord(word: string): string {
  return /^[\w.:@/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
