import type { ActionRow, CostSource, RunStatus } from '@agentflow/schemas';
import type { CanonicalSpan, SpanCategory } from '../mapping/canonical-span.js';
import type { SessionNode } from './session-tree.js';
import { DEFAULT_QUALITY_OPTIONS, scoreResponse, type QualityOptions } from './quality/index.js';

/** Prices one call: a provided cost wins; otherwise tokens × the price table; `unknown` when unpriced. */
export type CostResolver = (span: CanonicalSpan) => { costUsd: number; source: CostSource };

const ACTION_TYPE_OF: Partial<Record<SpanCategory, string>> = {
  llm: 'llm_call',
  tool: 'tool_call',
  embedding: 'embedding',
  retrieval: 'retrieval',
  handoff: 'handoff',
  guardrail: 'guardrail',
};

/** The action type a span records, or null when the span is not an action (a workflow, a plan without usage…). */
export function actionTypeOf(span: CanonicalSpan): string | null {
  if (span.actionType !== '') return span.actionType;
  const builtIn = ACTION_TYPE_OF[span.category];
  if (builtIn) return builtIn;
  // A plan span that carries its own usage is also the model call that made the plan.
  if (span.category === 'decision' && span.usage !== null) return 'llm_call';
  return null;
}

/** Completed unless the span says it failed; spans reach us when they end, so never running here. */
export function statusOf(span: CanonicalSpan): RunStatus {
  return span.status === 'error' ? 'failed' : 'completed';
}

/** Milliseconds between two nanosecond times, with sub-millisecond precision. */
export function durationMs(start: bigint, end: bigint): number {
  return Number(end - start) / 1e6;
}

/** The session's actions in start order, numbered from 1; model calls with captured output are scored with `quality`. */
export function deriveActions(
  session: SessionNode, costOf: CostResolver, version: bigint, quality: QualityOptions = DEFAULT_QUALITY_OPTIONS,
): ActionRow[] {
  const rows: ActionRow[] = [];
  // An implicit session's root is whatever span started the trace, often itself an action (a tool
  // span exported in a trace of its own); an agent span never is.
  const candidates = session.implicit ? [session.span, ...session.members] : session.members;
  const callIds = recoverToolCallIds(candidates);
  for (const span of candidates) {
    const actionType = actionTypeOf(span);
    if (actionType === null) continue;
    const usage = span.usage;
    const verdict = scoreResponse(span, actionType, quality);
    const cost = usage !== null || span.providedCostUsd !== null ? costOf(span) : { costUsd: 0, source: 'computed' as CostSource };
    rows.push({
      tenantId: span.tenantId,
      actionId: span.spanId,
      sessionId: session.span.spanId,
      traceId: span.traceId,
      parentSpanId: span.parentSpanId,
      agentName: session.span.agentName,
      sequence: rows.length + 1,
      actionType,
      name: span.name,
      toolName: span.toolName,
      toolCallId: span.toolCallId || (callIds.get(span.spanId) ?? ''),
      model: span.responseModel || span.requestModel,
      requestModel: span.requestModel,
      provider: span.provider,
      status: statusOf(span),
      errorType: span.errorType,
      error: span.errorMessage,
      retryAttempt: span.retryAttempt,
      inputTokens: usage?.input ?? 0,
      outputTokens: usage?.output ?? 0,
      cacheReadTokens: usage?.cacheRead ?? 0,
      cacheWriteTokens: usage?.cacheWrite ?? 0,
      reasoningTokens: usage?.reasoning ?? 0,
      costUsd: cost.costUsd,
      costSource: cost.source,
      startedAt: span.startTimeUnixNano,
      endedAt: span.endTimeUnixNano,
      durationMs: durationMs(span.startTimeUnixNano, span.endTimeUnixNano),
      argsHash: span.toolArgumentsHash,
      resultHash: span.toolResultHash,
      finishReasons: span.finishReasons,
      qualityScore: verdict?.score ?? null,
      qualityIssues: verdict?.issues ?? [],
      version,
    });
  }
  return rows;
}

/**
 * Tool call ids that the tool spans left out but the model calls that requested them carry
 * (the OpenAI Agents SDK puts the id only on the model's output): each tool span without an id
 * takes the first unclaimed request of the same tool with the same arguments, in start order.
 */
function recoverToolCallIds(spans: readonly CanonicalSpan[]): Map<string, string> {
  const requested = spans.flatMap((s) => s.requestedToolCalls).filter((r) => r.id !== '');
  const found = new Map<string, string>();
  if (requested.length === 0) return found;
  const claimed = new Set(spans.map((s) => s.toolCallId).filter((id) => id !== ''));
  for (const span of spans) {
    if (span.category !== 'tool' || span.toolCallId !== '') continue;
    const match = requested.find((r) => !claimed.has(r.id) && r.name === span.toolName
      && (r.argumentsHash === '' || span.toolArgumentsHash === '' || r.argumentsHash === span.toolArgumentsHash));
    if (!match) continue;
    claimed.add(match.id);
    found.set(span.spanId, match.id);
  }
  return found;
}
