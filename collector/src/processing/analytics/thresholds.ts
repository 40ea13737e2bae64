/**
 * Thresholds of the analytics rules, in one place: what counts as a repeat, a stale run, and when
 * a suggestion is raised. Minimum samples keep a handful of runs from raising alarms.
 */
export const SUGGESTION_THRESHOLDS = {
  /** `low_success_rate`: under this share of ended sessions completed, with at least `minSessions` ended. */
  successRate: 0.9,
  /** `tail_latency`: p95 at least this many times the median. */
  tailRatio: 3,
  /** Sessions needed before session-level rules apply. */
  minSessions: 10,
  /** `tool_failures`: more than this share of a tool's calls failed, with at least `minCalls` calls. */
  toolFailureRate: 0.1,
  minCalls: 5,
  /** `retries`: at least this many retried calls of a step, and at least `retryShare` of its calls. */
  minRetries: 3,
  retryShare: 0.1,
  /** `expensive_model`: one model carries more than this share of an agent's cost. */
  modelCostShare: 0.6,
  /** Above this failure share (of sessions or calls) a suggestion is critical rather than a warning. */
  critical: 0.5,
  /** `repeated_tool_calls`: calls with the same tool and arguments in one session, from this many. */
  repeatMin: 3,
  /** `never_completing`: a session still running this long (ms) after it started is stale. */
  staleRunningMs: 3_600_000,
} as const;
