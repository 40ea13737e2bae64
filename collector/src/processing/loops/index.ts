import { pingPongFindings, repeatedOutputFindings, stateRevisitFindings } from './pattern-rules.js';
import { noProgressFindings } from './progress-rule.js';
import { repeatFindings } from './repeat-rules.js';
import type { Finding, SessionActivity } from './steps.js';
import type { LoopThresholds } from './thresholds.js';

export { actionKey, canonicalArguments, fastHash, resultKey, shortHash } from './action-key.js';
export { budgetFindings } from './budget-rules.js';
export type { Budgets, UsageMark } from './budget-rules.js';
export { DEFAULT_LOOP_THRESHOLDS } from './thresholds.js';
export type { LoopThresholds } from './thresholds.js';
export type { AgentHop, Finding, SessionActivity, StateEntry, Step } from './steps.js';

/** Every loop rule over one session's activity, and `stuck.no_progress`, which reads the same activity. Pure: the same activity always gives the same findings. */
export function loopFindings(activity: SessionActivity, thresholds: LoopThresholds): Finding[] {
  const pingPong = pingPongFindings(activity, thresholds);
  return [
    ...withoutPingPongRepeats(repeatFindings(activity.steps, thresholds), pingPong),
    ...pingPong,
    ...repeatedOutputFindings(activity, thresholds),
    ...stateRevisitFindings(activity, thresholds),
    ...noProgressFindings(activity, thresholds),
  ];
}

/**
 * An alternation of actions (A, B, A, B, …) also repeats each of them within the window: it is one
 * loop, reported once, as the ping-pong. A windowed repeat whose every call is part of a ping-pong
 * over actions is left out.
 */
function withoutPingPongRepeats(repeats: Finding[], pingPong: readonly Finding[]): Finding[] {
  const alternating = new Set(pingPong.filter((f) => f.discriminator.startsWith('actions:')).flatMap((f) => f.evidence));
  if (alternating.size === 0) return repeats;
  return repeats.filter((f) => !(f.discriminator.startsWith('window:') && f.evidence.every((id) => alternating.has(id))));
}
