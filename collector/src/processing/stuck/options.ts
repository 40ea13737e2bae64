import type { ClickHouseClient } from '@clickhouse/client';
import type { AnomalyRow, SessionRow } from '@agentflow/schemas';

/** How long a span of each kind may stay open before it counts as stuck, ms. */
export interface OpenSpanBounds {
  /** An LLM call (`chat`, `text_completion`, `generate_content`). Default 300 000 (5 min). */
  llmMs: number;
  /** A tool call (`execute_tool`). Default 600 000 (10 min). */
  toolMs: number;
  /** An agent invocation (`invoke_agent`), and a trace whose root never arrives. Default 3 600 000 (1 h). */
  agentMs: number;
}

/** When the stuck detector runs and what it calls stuck. Every time is in ms. */
export interface StuckOptions {
  /** Time between passes. Default 15 000. */
  intervalMs: number;
  /** Time from start() to the first pass. Default 1 000. */
  firstPassDelayMs: number;
  /** Floor of the stale threshold: a session is stale after max(missedHeartbeats × interval, minStaleMs). Default 120 000. */
  minStaleMs: number;
  /** Heartbeat intervals missed before a process counts as offline (also the factor of the stale threshold). Default 3. */
  missedHeartbeats: number;
  /** Heartbeat interval assumed when the records do not state one. Default 30 000. */
  defaultHeartbeatIntervalMs: number;
  bounds: OpenSpanBounds;
  /**
   * How long after it started a span is watched. A span still open then is no longer looked at: an
   * anomaly about it stays open as last published. Default 86 400 000 (24 h).
   */
  horizonMs: number;
  /**
   * How late (by its own timestamp) a start record or heartbeat may arrive and still be seen: each
   * pass re-reads the records of this long before the previous pass. Default 120 000.
   */
  lateMs: number;
  /** Open spans watched at most (the memory bound); the oldest beyond it are dropped, counted and logged. Default 100 000. */
  maxWatched: number;
  /**
   * The longest time between two lookups of a span open for long, or of the span ends of a session
   * silent for long (each is looked up every pass for its first 10 minutes, then less and less
   * often): the most such an anomaly's resolution can lag. Default 300 000.
   */
  maxRecheckMs: number;
  /** How long stop() waits for a pass in progress. Default 5 000. */
  stopTimeoutMs: number;
  /**
   * How long after it started a stale or orphaned session that exported no span is derived as
   * `timed_out`: trace assembly's `timeoutMs` (AGENTFLOW_ASSEMBLY_TIMEOUT_MS), after which it
   * settles a trace from its first span. Default 300 000.
   */
  timedOutAfterMs: number;
}

/** The defaults of {@link StuckOptions}: the proposals of notes/analyses.md §4. */
export const DEFAULT_STUCK_OPTIONS: Readonly<StuckOptions> = Object.freeze({
  intervalMs: 15_000,
  firstPassDelayMs: 1_000,
  minStaleMs: 120_000,
  missedHeartbeats: 3,
  defaultHeartbeatIntervalMs: 30_000,
  bounds: Object.freeze({ llmMs: 300_000, toolMs: 600_000, agentMs: 3_600_000 }),
  horizonMs: 86_400_000,
  lateMs: 120_000,
  maxWatched: 100_000,
  maxRecheckMs: 300_000,
  stopTimeoutMs: 5_000,
  timedOutAfterMs: 300_000,
});

/** Options as a caller passes them: any subset, bounds included. */
export type StuckOptionsInput = Partial<Omit<StuckOptions, 'bounds'>> & { bounds?: Partial<OpenSpanBounds> };

/** What the detector needs (ports: tests pass plain functions). */
export interface StuckJobDeps {
  /** Storage's client (`storage.client`): the detector only reads. */
  client: ClickHouseClient;
  /** Takes the anomalies a pass found new, changed or resolved: the caller writes, streams and alerts on them. */
  publish(rows: readonly AnomalyRow[]): void;
  log: StuckLogger;
  /** The clock, ms since the epoch: every time comparison goes by it, in SQL too. */
  now(): number;
  /**
   * Takes the `timed_out` sessions derived for sessions that will not end (see
   * {@link StuckOptions.timedOutAfterMs}), each once per run: the caller writes them to
   * `agent_sessions_data`. Absent: no session is derived.
   */
  timedOut?(rows: readonly SessionRow[]): void;
}

/** The part of a pino logger the detector uses. */
export interface StuckLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The defaults overlaid with `input`; throws on a value that cannot work (fail fast on bad config). */
export function resolveStuckOptions(input: StuckOptionsInput = {}): StuckOptions {
  const o: StuckOptions = { ...DEFAULT_STUCK_OPTIONS, ...input, bounds: { ...DEFAULT_STUCK_OPTIONS.bounds, ...input.bounds } };
  const positive = {
    intervalMs: o.intervalMs, minStaleMs: o.minStaleMs, missedHeartbeats: o.missedHeartbeats,
    defaultHeartbeatIntervalMs: o.defaultHeartbeatIntervalMs, horizonMs: o.horizonMs, maxWatched: o.maxWatched, maxRecheckMs: o.maxRecheckMs,
    llmMs: o.bounds.llmMs, toolMs: o.bounds.toolMs, agentMs: o.bounds.agentMs, timedOutAfterMs: o.timedOutAfterMs,
  };
  for (const [name, value] of Object.entries(positive)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`stuck detector: ${name} must be a positive number, got ${value}`);
  }
  for (const [name, value] of Object.entries({ firstPassDelayMs: o.firstPassDelayMs, lateMs: o.lateMs, stopTimeoutMs: o.stopTimeoutMs })) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`stuck detector: ${name} must be zero or more, got ${value}`);
  }
  return o;
}
