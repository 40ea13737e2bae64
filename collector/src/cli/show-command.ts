import type { SessionDetail, TreeNode } from '../api/sessions/index.js';
import { CliError, EXIT, getJson, type ServerTarget } from './http.js';
import { renderSession } from './show-render.js';

/**
 * `agentflow show <session-id>`: the session's header, its timeline with durations and its
 * anomalies marked, its anomalies, a text waterfall of its actions and the tree of sessions it belongs to; `--json` prints the detail
 * with the tree under `tree`.
 */
export async function showCommand(target: ServerTarget, sessionId: string, json: boolean, out: (text: string) => void): Promise<void> {
  if (!/^[0-9a-fA-F]{16}$/.test(sessionId)) throw new CliError(EXIT.USAGE, `'${sessionId}' is not a session id (16 hex digits, as 'agentflow sessions' lists them)`);
  const path = `/api/v1/sessions/${sessionId.toLowerCase()}`;
  const [detail, tree] = await Promise.all([getJson<SessionDetail>(target, path), getJson<TreeNode>(target, `${path}/tree`)]);
  out(json ? JSON.stringify({ ...detail, tree }, null, 2) : renderSession(detail, tree));
}
