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
  return [
    ...repeatFindings(activity.steps, thresholds),
    ...pingPongFindings(activity, thresholds),
    ...repeatedOutputFindings(activity, thresholds),
    ...stateRevisitFindings(activity, thresholds),
    ...noProgressFindings(activity, thresholds),
  ];
}
