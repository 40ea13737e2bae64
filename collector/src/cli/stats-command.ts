import type { AnalyticsReport, Overview } from '../api/analytics/index.js';
import { isoFromNs } from '../api/sessions/time.js';
import { parseSince } from '../assembly/rebuild.js';
import { CliError, EXIT, getJson, type ServerTarget } from './http.js';
import { renderStats } from './stats-render.js';

/** Options of `agentflow stats`. */
export interface StatsOptions {
  agent?: string | undefined;
  /** A duration back from now (`24h`, `7d`) or an ISO time. */
  from?: string | undefined;
  to?: string | undefined;
  json: boolean;
}

/**
 * `agentflow stats [--agent X] [--from T] [--to T]`: the analytics of one agent, or the overview
 * of every agent, over a range (default: the server's, the last 7 days) as tables and
 * suggestions; `--json` prints the API's answer.
 */
export async function statsCommand(target: ServerTarget, options: StatsOptions, out: (text: string) => void, nowMs = Date.now()): Promise<void> {
  const params = new URLSearchParams();
  if (options.from !== undefined) params.set('from', rangeBound('--from', options.from, nowMs));
  if (options.to !== undefined) params.set('to', rangeBound('--to', options.to, nowMs));
  const query = params.size > 0 ? `?${params}` : '';
  const report = options.agent !== undefined
    ? await getJson<AnalyticsReport>(target, `/api/v1/analytics/agents/${encodeURIComponent(options.agent)}${query}`)
    : await getJson<Overview>(target, `/api/v1/analytics/overview${query}`);
  out(options.json ? JSON.stringify(report, null, 2) : renderStats(report));
}

/**
 * A range bound for the API: a duration back from now becomes an ISO time; an ISO time is passed
 * on for the server to check (it refuses times without a zone rather than guess one).
 */
function rangeBound(flag: string, value: string, nowMs: number): string {
  if (/^\d+\s*[smhd]$/.test(value.trim())) {
    const parsed = parseSince(value, nowMs);
    if (parsed.ok) return isoFromNs(parsed.ns);
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(value.trim())) return value.trim();
  throw new CliError(EXIT.USAGE, `${flag} takes a duration back from now like 30m, 6h or 7d, or an ISO time like 2026-11-21T06:00:00Z; got '${value}'`);
}
