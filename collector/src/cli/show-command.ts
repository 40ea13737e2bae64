import type { RunningSessionDetail, SessionDetail, TreeNode } from '../api/sessions/index.js';
import { CliError, EXIT, getJson, type ServerTarget } from './http.js';
import { renderSession } from './show-render.js';
import { renderRunningSession } from './show-running.js';

/**
 * `agentflow show <session-id>`: the session's header, its timeline with durations and its
 * anomalies marked, its anomalies, a text waterfall of its actions and the tree of sessions it
 * belongs to; `--json` prints the detail with the tree under `tree`. A session still running shows
 * what its start record says, the calls that ended under it so far and its anomalies.
 */
export async function showCommand(target: ServerTarget, sessionId: string, json: boolean, out: (text: string) => void): Promise<void> {
  if (!/^[0-9a-fA-F]{16}$/.test(sessionId)) throw new CliError(EXIT.USAGE, `'${sessionId}' is not a session id (16 hex digits, as 'agentflow sessions' lists them)`);
  const path = `/api/v1/sessions/${sessionId.toLowerCase()}`;
  const detail = await getJson<SessionDetail | RunningSessionDetail>(target, path);
  // A running session has no derived records, and so no tree, until its agent span ends.
  if ('running' in detail) {
    out(json ? JSON.stringify(detail, null, 2) : renderRunningSession(detail));
    return;
  }
  const tree = await getJson<TreeNode>(target, `${path}/tree`);
  out(json ? JSON.stringify({ ...detail, tree }, null, 2) : renderSession(detail, tree));
}
