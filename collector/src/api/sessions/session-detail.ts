import type { ClickHouseClient } from '@clickhouse/client';
import { anomaliesOfSession } from '../anomalies/session-anomalies.js';
import type { Anomaly } from '../anomalies/anomaly-rows.js';
import type { Action, Communication, Decision, Transition } from './record-rows.js';
import { interactionsOf, sessionsOfTrace, sessionWithRecords } from './session-records.js';
import { totalsOf, type SessionSummary, type Totals } from './session-rows.js';
import { buildTree, flattenTree, type TreeNode } from './session-tree.js';
import { buildTimeline, type TimelineItem } from './timeline.js';

/** Answer of `GET /sessions/:id`. */
export interface SessionDetail {
  session: SessionSummary;
  /** Transitions, actions, decisions, messages and errors in time order, framed by start and end. */
  timeline: TimelineItem[];
  actions: Action[];
  transitions: Transition[];
  decisions: Decision[];
  /** Messages, delegations, handoffs and links this session sent or received. */
  communications: Communication[];
  /** Direct sub-agent sessions, in start order. */
  children: SessionSummary[];
  /** `self`: this session's own figures; `subtree`: with every session below it. */
  totals: { self: Totals; subtree: Totals };
  /** Every anomaly detected in this session: open ones first, then newest detected first. */
  anomalies: Anomaly[];
}

/**
 * Everything about one session, or null when the tenant has no session with that id. One
 * statement for the session and its records, as a rule, and one for its anomalies (another table,
 * another key), sent together.
 */
export async function loadSessionDetail(client: ClickHouseClient, tenant: string, sessionId: string): Promise<SessionDetail | null> {
  const [found, anomalies] = await Promise.all([sessionWithRecords(client, tenant, sessionId), anomaliesOfSession(client, tenant, sessionId)]);
  if (!found) return null;
  const { session, records: { sessions, actions, transitions, decisions, communications } } = found;
  const node = findNode(buildTree(sessions, session.root_session_id), sessionId);
  return {
    session,
    timeline: buildTimeline({ session, actions, transitions, decisions, communications }),
    actions,
    transitions,
    decisions,
    communications,
    children: node ? node.children.map((c) => c.session) : [],
    totals: { self: totalsOf([session]), subtree: node ? node.totals : totalsOf([session]) },
    anomalies,
  };
}

/** The whole multi-agent tree the session belongs to, from its root; null when the session is unknown. */
export async function loadSessionTree(client: ClickHouseClient, tenant: string, sessionId: string): Promise<TreeNode | null> {
  const sessions = await sessionsOfTrace(client, tenant, sessionId);
  const session = sessions.find((s) => s.session_id === sessionId);
  return session ? buildTree(sessions, session.root_session_id) : null;
}

/** What the sequence diagram is drawn from: the root's tree, its communications and its tool calls. */
export async function loadTreeInteractions(
  client: ClickHouseClient, tenant: string, sessionId: string,
): Promise<{ sessions: SessionSummary[]; communications: Communication[]; toolCalls: Action[] } | null> {
  const tree = await loadSessionTree(client, tenant, sessionId);
  if (!tree) return null;
  const sessions = flattenTree(tree);
  return { sessions, ...(await interactionsOf(client, tenant, sessions)) };
}

function findNode(node: TreeNode | null, sessionId: string): TreeNode | null {
  if (!node) return null;
  if (node.session.session_id === sessionId) return node;
  for (const child of node.children) {
    const found = findNode(child, sessionId);
    if (found) return found;
  }
  return null;
}
