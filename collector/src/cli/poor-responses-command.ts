import type { PoorResponsesPage } from '../api/quality/index.js';
import { CliError, EXIT, getJson, type ServerTarget } from './http.js';
import { formatTime } from './session-format.js';
import { renderTable } from './table.js';

/** Filters of `agentflow poor-responses`. */
export interface PoorResponsesOptions {
  /** 0–1; the server's default (0.7) when absent. */
  threshold?: string | undefined;
  /** A look back: `30m`, `24h`, `7d`; the server's default (24h) when absent. */
  since?: string | undefined;
  agent?: string | undefined;
  limit?: string | undefined;
  json: boolean;
}

/**
 * `agentflow poor-responses [--threshold 0.7] [--since 24h] [--agent X] [--limit N]`: model calls
 * whose answer scored under the threshold, newest first, with the checks they failed and their
 * session (`agentflow show <session>`). The answers themselves are only in the raw spans.
 */
export async function poorResponsesCommand(target: ServerTarget, options: PoorResponsesOptions, out: (text: string) => void): Promise<void> {
  if (options.threshold !== undefined && !/^(?:0(?:\.\d+)?|1(?:\.0+)?|\.\d+)$/.test(options.threshold)) {
    throw new CliError(EXIT.USAGE, `--threshold takes a number from 0 to 1, not '${options.threshold}'`);
  }
  if (options.limit !== undefined && !/^[1-9]\d*$/.test(options.limit)) {
    throw new CliError(EXIT.USAGE, `--limit takes a positive whole number, not '${options.limit}'`);
  }
  const params = new URLSearchParams();
  if (options.threshold !== undefined) params.set('threshold', options.threshold);
  if (options.since !== undefined) params.set('since', options.since);
  if (options.agent !== undefined) params.set('agent', options.agent);
  if (options.limit !== undefined) params.set('limit', options.limit);
  const page = await getJson<PoorResponsesPage>(target, `/api/v1/quality/poor-responses${params.size > 0 ? `?${params}` : ''}`);
  if (options.json) {
    out(JSON.stringify(page, null, 2));
    return;
  }
  out(renderTable(['time', 'agent', 'model', 'score', 'issues', 'session'], page.responses.map((r) => ({
    time: formatTime(r.started_at),
    agent: r.agent_name,
    model: r.model,
    score: r.quality_score.toFixed(2),
    issues: r.quality_issues.join(', '),
    session: r.session_id,
  }))));
  const n = page.responses.length;
  out(`${n} poor response${n === 1 ? '' : 's'} under ${page.threshold} since ${formatTime(page.from)}${page.more ? ' (more matched: narrow with --since or --agent, or raise --limit)' : ''}`);
}
