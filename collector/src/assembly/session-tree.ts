import type { CanonicalSpan } from '../mapping/canonical-span.js';

/** One session found in a trace: its defining span and the spans that belong to it. */
export interface SessionNode {
  /** The agent span, or for an implicit session the trace's root span. */
  span: CanonicalSpan;
  implicit: boolean;
  parent: SessionNode | null;
  root: SessionNode;
  /** Spans whose nearest agent ancestor is this session's span (not the span itself, not child sessions). */
  members: CanonicalSpan[];
  children: SessionNode[];
}

/** The sessions of one trace, and which session each span belongs to. */
export interface SessionTree {
  sessions: SessionNode[];
  sessionOf: Map<string, SessionNode>;
}

/**
 * Finds the sessions of a trace and assigns every span to one: an agent span starts a session,
 * and a span belongs to its nearest ancestor agent span. Parentage can be broken (a parent that
 * never arrived, a handoff target exported as a sibling), so a span with no agent ancestor
 * belongs to the trace's first top-level session; a trace with no agent span at all gets one
 * implicit session, its root span (the earliest span without a parent in the trace).
 */
export function buildSessionTree(spans: readonly CanonicalSpan[]): SessionTree {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const ordered = [...spans].sort(byStart);
  const nodes = new Map<string, SessionNode>();
  for (const span of ordered) {
    if (span.category === 'agent') nodes.set(span.spanId, newNode(span, false));
  }
  const nearestAgent = memoNearestAgent(byId, nodes);
  for (const node of nodes.values()) {
    const parent = nearestAgent(node.span.parentSpanId);
    if (parent) {
      node.parent = parent;
      parent.children.push(node);
    }
  }
  let topLevel = [...nodes.values()].filter((n) => n.parent === null);
  if (topLevel.length === 0) {
    const root = ordered.find((s) => s.parentSpanId === '' || !byId.has(s.parentSpanId)) ?? ordered[0];
    if (!root) return { sessions: [], sessionOf: new Map() };
    const node = newNode(root, true);
    nodes.set(root.spanId, node);
    topLevel = [node];
  }
  const fallback = topLevel[0] as SessionNode;
  for (const node of nodes.values()) node.root = rootOf(node);
  const sessionOf = new Map<string, SessionNode>();
  for (const span of ordered) {
    const own = nodes.get(span.spanId);
    if (own) {
      sessionOf.set(span.spanId, own);
      continue;
    }
    const session = nearestAgent(span.parentSpanId) ?? fallback;
    session.members.push(span);
    sessionOf.set(span.spanId, session);
  }
  return { sessions: [...nodes.values()].sort((a, b) => byStart(a.span, b.span)), sessionOf };
}

function newNode(span: CanonicalSpan, implicit: boolean): SessionNode {
  const node: SessionNode = { span, implicit, parent: null, root: undefined as unknown as SessionNode, members: [], children: [] };
  node.root = node;
  return node;
}

function rootOf(node: SessionNode): SessionNode {
  let n = node;
  // Parent links come from span parentage, which has no cycles unless a sender reused span ids.
  for (let depth = 0; n.parent && depth < 10_000; depth++) n = n.parent;
  return n;
}

/** Nearest agent span at or above `spanId`, memoised per span id (traces can be deep). */
function memoNearestAgent(byId: Map<string, CanonicalSpan>, nodes: Map<string, SessionNode>): (spanId: string) => SessionNode | null {
  const memo = new Map<string, SessionNode | null>();
  return function nearest(spanId: string): SessionNode | null {
    const path: string[] = [];
    let id = spanId;
    let found: SessionNode | null = null;
    while (id !== '') {
      const cached = memo.get(id);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      const node = nodes.get(id);
      if (node) {
        found = node;
        break;
      }
      const span = byId.get(id);
      if (!span || path.length > 10_000) break;
      path.push(id);
      id = span.parentSpanId;
    }
    for (const p of path) memo.set(p, found);
    return found;
  };
}

/**
 * Start time, then parent before child, then a model call and a tool by what the call asked for,
 * then agent spans before model calls before other spans, then end time, then span id, so
 * derivation is deterministic (but for a model call tied with two tools of different calls in one
 * millisecond, which this pairwise rule cannot always rank consistently). The JS SDK stamps start times in whole milliseconds but
 * end times as start plus a precise duration, so when two spans share a start millisecond their
 * end times say nothing about which ran first: a model call and the tool it asked for often share
 * one (the call ran first), and so do a quick tool and the next model call (the tool ran first).
 */
export function byStart(a: CanonicalSpan, b: CanonicalSpan): number {
  if (a.startTimeUnixNano !== b.startTimeUnixNano) return a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1;
  if (a.parentSpanId === b.spanId) return 1;
  if (b.parentSpanId === a.spanId) return -1;
  const asked = a.category === 'llm' && b.category === 'tool' ? callBeforeTool(a, b) : b.category === 'llm' && a.category === 'tool' ? -callBeforeTool(b, a) : 0;
  if (asked !== 0) return asked;
  const rank = (s: CanonicalSpan) => (s.category === 'agent' ? 0 : s.category === 'llm' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a.endTimeUnixNano !== b.endTimeUnixNano) return a.endTimeUnixNano < b.endTimeUnixNano ? -1 : 1;
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
}

/**
 * For a model call and a tool that started in the same millisecond: −1 (the call first) when the
 * call asked for this tool; 1 (the tool first) when the call asked for other tools, or finished
 * without asking for any (a final answer) — then the tool answers an earlier call; 0 when the
 * call's output was not captured and nothing tells.
 */
function callBeforeTool(call: CanonicalSpan, tool: CanonicalSpan): number {
  const requested = call.requestedToolCalls;
  if (tool.toolCallId !== '' && requested.some((r) => r.id === tool.toolCallId)) return -1;
  if (requested.some((r) => r.name === tool.toolName && (r.id === '' || tool.toolCallId === ''))) return 0;
  if (requested.length > 0) return 1;
  const final = call.finishReasons.length > 0 && call.finishReasons.every((r) => !/tool|function/i.test(r));
  return final ? 1 : 0;
}
