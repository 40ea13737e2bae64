import type { AnomalyPage } from '../api/anomalies/index.js';
import { CliError, EXIT, getJson, type ServerTarget } from './http.js';
import { nextPageHint } from './next-page.js';
import { formatTime } from './session-format.js';
import { renderTable } from './table.js';

/** Filters and paging of `agentflow anomalies`. */
export interface AnomaliesOptions {
  /** Only anomalies still open. */
  open: boolean;
  /** A kind (`loop.repeat_call`) or a family (`loop`). */
  kind?: string | undefined;
  agent?: string | undefined;
  session?: string | undefined;
  limit?: string | undefined;
  cursor?: string | undefined;
  json: boolean;
}

/**
 * `agentflow anomalies [--open] [--kind K] [--agent X] [--session ID] [--limit N] [--cursor C]`:
 * detected problems as a table, newest detected first, and how to ask for the next page.
 */
export async function anomaliesCommand(target: ServerTarget, options: AnomaliesOptions, out: (text: string) => void): Promise<void> {
  if (options.limit !== undefined && !/^[1-9]\d*$/.test(options.limit)) {
    throw new CliError(EXIT.USAGE, `--limit takes a positive whole number, not '${options.limit}'`);
  }
  const params = new URLSearchParams();
  if (options.open) params.set('state', 'open');
  if (options.kind) params.set('kind', options.kind);
  if (options.agent) params.set('agent', options.agent);
  if (options.session) params.set('session', options.session);
  if (options.limit) params.set('limit', options.limit);
  if (options.cursor) params.set('cursor', options.cursor);
  const page = await getJson<AnomalyPage>(target, `/api/v1/anomalies${params.size > 0 ? `?${params}` : ''}`);
  if (options.json) {
    out(JSON.stringify(page, null, 2));
    return;
  }
  out(renderTable(['detected', 'severity', 'state', 'kind', 'agent', 'session', 'count', 'detail'], page.anomalies.map((a) => ({
    detected: formatTime(a.detected_at),
    severity: a.severity,
    state: a.resolved_at === null ? 'open' : 'resolved',
    kind: a.kind,
    agent: a.agent_name,
    session: a.session_id,
    count: a.count,
    detail: a.detail,
  }))));
  const n = page.anomalies.length;
  out(`${n} ${options.open ? 'open ' : ''}anomal${n === 1 ? 'y' : 'ies'}${page.next_cursor ? '' : ' (end of list)'}`);
  if (page.next_cursor) {
    out(nextPageHint('anomalies', [
      ['open', options.open], ['kind', options.kind], ['agent', options.agent], ['session', options.session], ['limit', options.limit],
    ], page.next_cursor));
  }
}
