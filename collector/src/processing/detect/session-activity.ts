import type { ActionRow } from '@agentflow/schemas';
import type { CanonicalSpan } from '../../mapping/canonical-span.js';
import type { SessionNode } from '../../assembly/session-tree.js';
import { actionTypeOf, type CostResolver } from '../../assembly/derive-actions.js';
import { actionKey, fastHash, resultKey, type SessionActivity, type Step, type UsageMark } from '../loops/index.js';

/** Milliseconds between two nanosecond times. */
const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;

/**
 * What a session did, as the loop and budget rules read it: its actions in start order with
 * their keys, the states it entered, and the agents it handed work to. `topLevel` lists the
 * trace's sessions without a parent: agents that hand control to each other (A → B → A) are
 * often siblings, so their order is read from the first of them; any other session's hops are
 * the agents it delegated to, in order.
 */
export function sessionActivity(session: SessionNode, topLevel: readonly SessionNode[]): SessionActivity {
  const steps: Step[] = [];
  for (const span of candidates(session)) {
    const actionType = actionTypeOf(span);
    if (actionType === null) continue;
    steps.push(stepOf(span, actionType));
  }
  const states = [session.span, ...session.members]
    .flatMap((span) => span.stateChanges.map((c) => ({ state: c.to, spanId: span.spanId, atNs: c.timeUnixNano })))
    .sort((a, b) => (a.atNs < b.atNs ? -1 : a.atNs > b.atNs ? 1 : 0));
  // A lone top-level session has no siblings to hand control to: its hops are its children.
  const siblings = topLevel[0] === session && topLevel.length > 1;
  const hops = (siblings ? topLevel : session.children).map((c) => ({ agent: c.span.agentName, spanId: c.span.spanId, atNs: c.span.startTimeUnixNano }));
  return { steps, states, hops };
}

/** The spans of a session that may be actions (an implicit session's root can be one). */
function candidates(session: SessionNode): readonly CanonicalSpan[] {
  return session.implicit ? [session.span, ...session.members] : session.members;
}

/**
 * Steps by span: a running trace is looked at on every tick and once more when it settles, with
 * the same span objects, and a step's keys (two hashes) need computing only once.
 */
const stepCache = new WeakMap<CanonicalSpan, Step>();

function stepOf(span: CanonicalSpan, actionType: string): Step {
  let step = stepCache.get(span);
  if (!step) stepCache.set(span, (step = newStep(span, actionType)));
  return step;
}

function newStep(span: CanonicalSpan, actionType: string): Step {
  const failed = span.status === 'error';
  const model = actionType === 'llm_call' || actionType === 'embedding';
  const name = span.toolName || span.targetAgentName || (model ? span.responseModel || span.requestModel : '') || span.name;
  return {
    spanId: span.spanId,
    actionType,
    name,
    // A model call's arguments are its whole prompt, which grows every turn: keyed by model only.
    // An action whose arguments were not captured cannot be said to repeat them: a key of its own.
    key: model ? actionKey(actionType, name, '', '')
      : span.inputContent === '' && span.toolArgumentsHash === '' ? `unknown:${span.spanId}`
        : actionKey(actionType, name, span.inputContent, span.toolArgumentsHash),
    resultKey: model ? '' : resultKey(failed, span.errorType, span.outputContent, span.toolResultHash),
    failed,
    errorType: span.errorType,
    // Outputs are compared whole: whitespace folded, nothing else (a model's answer is text).
    outputKey: model && span.outputContent !== '' ? fastHash(span.outputContent.trim().replace(/\s+/g, ' ')) : '',
    startNs: span.startTimeUnixNano,
    endNs: span.endTimeUnixNano,
  };
}

/** The same marks from a session's derived actions (in sequence order, already priced). */
export function usageMarksOf(actions: readonly ActionRow[], startNs: bigint): UsageMark[] {
  const usage = { llmCalls: 0, toolCalls: 0, steps: 0, tokens: 0, costUsd: 0, durationMs: 0 };
  return actions.map((a) => {
    usage.steps++;
    if (a.actionType === 'llm_call') usage.llmCalls++;
    if (a.actionType === 'tool_call') usage.toolCalls++;
    usage.tokens += a.inputTokens + a.outputTokens;
    usage.costUsd += a.costUsd;
    usage.durationMs = Math.max(usage.durationMs, ms(startNs, a.endedAt));
    return { spanId: a.actionId, atNs: a.endedAt, usage: { ...usage } };
  });
}

/** The session's running usage after each action, in start order, for the budget rules. */
export function usageMarks(session: SessionNode, costOf: CostResolver): UsageMark[] {
  const usage = { llmCalls: 0, toolCalls: 0, steps: 0, tokens: 0, costUsd: 0, durationMs: 0 };
  const marks: UsageMark[] = [];
  const start = session.span.startTimeUnixNano;
  for (const span of candidates(session)) {
    const actionType = actionTypeOf(span);
    if (actionType === null) continue;
    usage.steps++;
    if (actionType === 'llm_call') usage.llmCalls++;
    if (actionType === 'tool_call') usage.toolCalls++;
    if (span.usage) usage.tokens += span.usage.input + span.usage.output;
    if (span.usage !== null || span.providedCostUsd !== null) usage.costUsd += costOf(span).costUsd;
    usage.durationMs = Math.max(usage.durationMs, ms(start, span.endTimeUnixNano));
    marks.push({ spanId: span.spanId, atNs: span.endTimeUnixNano, usage: { ...usage } });
  }
  return marks;
}
