import { totalsOf, type SessionSummary, type Totals } from './session-rows.js';

/** One session of a multi-agent tree with its sub-agents; `totals` cover the session and everything below it. */
export interface TreeNode {
  session: SessionSummary;
  totals: Totals;
  children: TreeNode[];
}

/**
 * Nests the sessions of one tree under `rootId` by their parent ids, children in start order.
 * Sessions whose parent is not among them are left out (they belong to another tree). Null when
 * the root is not among the sessions.
 */
export function buildTree(sessions: readonly SessionSummary[], rootId: string): TreeNode | null {
  const byParent = new Map<string, SessionSummary[]>();
  for (const s of sessions) {
    if (s.session_id === rootId) continue;
    const siblings = byParent.get(s.parent_session_id) ?? [];
    siblings.push(s);
    byParent.set(s.parent_session_id, siblings);
  }
  const root = sessions.find((s) => s.session_id === rootId);
  if (!root) return null;
  const seen = new Set<string>();
  const nest = (session: SessionSummary): { node: TreeNode; members: SessionSummary[] } => {
    // Parent ids come from span parentage; a sender that reused span ids could make a cycle.
    seen.add(session.session_id);
    const kids = (byParent.get(session.session_id) ?? []).filter((s) => !seen.has(s.session_id)).sort(byStart);
    const nested = kids.map(nest);
    const members = [session, ...nested.flatMap((n) => n.members)];
    return { node: { session, totals: totalsOf(members), children: nested.map((n) => n.node) }, members };
  };
  return nest(root).node;
}

/** Every session of a tree, depth first. */
export function flattenTree(node: TreeNode): SessionSummary[] {
  return [node.session, ...node.children.flatMap(flattenTree)];
}

function byStart(a: SessionSummary, b: SessionSummary): number {
  // ISO times of one format and zone sort as text.
  return a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : a.session_id < b.session_id ? -1 : 1;
}
