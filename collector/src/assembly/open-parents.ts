import type { CanonicalSpan } from '../mapping/canonical-span.js';

/** What is known of an agent span that has started and not ended (from its start record). */
export type StartedAgent = Pick<CanonicalSpan, 'agentId' | 'agentName' | 'agentType' | 'goal' | 'workflowName' | 'conversationId'>;

/**
 * Spans of a trace that is still running, with a stand-in for each span that has not ended
 * yet but whose children have: spans are exported as they end, so while an agent runs its
 * model and tool calls arrive pointing at a parent that has not. Each missing parent becomes a
 * provisional agent span (the agent the children name, else unnamed) so that its children form
 * a session with the missing span's id — the id the real agent span will have when it ends.
 * Live detection watches running sessions this way; derivation uses it for a trace that settled
 * without its root (the agent span never came in time), whose sessions are then `timed_out`.
 * `started` tells what an agent's start record said about it, when one came.
 */
export function withOpenParents(
  spans: readonly CanonicalSpan[], started?: (spanId: string) => StartedAgent | undefined,
): { spans: CanonicalSpan[]; open: ReadonlySet<string> } {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, CanonicalSpan[]>();
  for (const span of spans) {
    if (span.parentSpanId === '' || ids.has(span.parentSpanId)) continue;
    const list = children.get(span.parentSpanId);
    if (list) list.push(span);
    else children.set(span.parentSpanId, [span]);
  }
  const open = new Set(children.keys());
  if (open.size === 0) return { spans: [...spans], open };
  const stand: CanonicalSpan[] = [];
  for (const [spanId, kids] of children) {
    const first = kids[0] as CanonicalSpan;
    let start = first.startTimeUnixNano;
    let end = first.endTimeUnixNano;
    for (const k of kids) {
      if (k.startTimeUnixNano < start) start = k.startTimeUnixNano;
      if (k.endTimeUnixNano > end) end = k.endTimeUnixNano;
    }
    stand.push({
      ...first,
      spanId,
      parentSpanId: '',
      name: '',
      category: 'agent',
      operation: '',
      actionType: '',
      // Frameworks that copy the agent onto descendants (OpenLLMetry, Mastra, Vercel) name it here.
      agentName: kids.find((k) => k.agentName !== '')?.agentName ?? '',
      agentType: '',
      workflowName: '',
      goal: '',
      // An instrumented agent said who it is when it started.
      ...started?.(spanId),
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      status: 'unset',
      errorType: '',
      errorMessage: '',
      usage: null,
      providedCostUsd: null,
      toolName: '',
      toolCallId: '',
      toolArgumentsHash: '',
      toolResultHash: '',
      inputContent: '',
      outputContent: '',
      responseFormat: '',
      requestedToolCalls: [],
      stateChanges: [],
      decisions: [],
      messages: [],
      links: [],
    });
  }
  return { spans: [...spans, ...stand], open };
}
