/** Loop rule thresholds; every one can be set per tenant, agent type and workflow. */
export interface LoopThresholds {
  /** `loop.repeat_call`: the same action key this many times in a row → warning … */
  repeatWarning: number;
  /** … and this many → critical. */
  repeatCritical: number;
  /** `loop.repeat_call` also: the same key this many times … */
  windowRepeats: number;
  /** … within the session's last this-many actions (critical). */
  windowSize: number;
  /** `loop.repeat_error`: the same key failing this many times in a row (critical at `repeatCritical`). */
  errorRepeats: number;
  /** `loop.ping_pong`: a period-2 or period-3 pattern repeated this many times. */
  pingPongRepeats: number;
  /** `loop.no_progress`: the same tool this many times in a row with an unchanged result … */
  noProgressRepeats: number;
  /** … or this many for the polling tools named below, which are expected to repeat. */
  pollingRepeats: number;
  /** Tools that poll (wait, status checks): exempt from `loop.repeat_call`, with a higher `loop.no_progress` limit. */
  pollingTools: string[];
  /** `loop.repeated_output`: the same model output this many times with no tool result between. */
  repeatedOutputs: number;
  /** `loop.state_revisit`: a state entered more than this many times. */
  maxStateVisits: number;
  /** `stuck.no_progress`: actions go on this long, ms, with no new state, result or output. */
  noProgressMs: number;
}

/**
 * Defaults, from what agent runtimes use: three identical calls in a row is where OpenCode asks
 * the user (doom loop), five where Gemini CLI stops; OpenHands compares the last 3–6 steps.
 */
export const DEFAULT_LOOP_THRESHOLDS: LoopThresholds = {
  repeatWarning: 3,
  repeatCritical: 5,
  windowRepeats: 5,
  windowSize: 20,
  errorRepeats: 3,
  pingPongRepeats: 3,
  noProgressRepeats: 5,
  pollingRepeats: 20,
  pollingTools: [],
  repeatedOutputs: 3,
  maxStateVisits: 3,
  noProgressMs: 600_000,
};
