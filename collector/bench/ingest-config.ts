/** Settings of the ingest bench, from `BENCH_*` environment variables. */

/** Settings of one ingest bench run. */
export interface IngestBenchConfig {
  /** Sending time, s (`BENCH_DURATION_S`, default 30). */
  durationS: number;
  /** Concurrent keep-alive connections (`BENCH_CONNECTIONS`, default 8). */
  connections: number;
  /** Spans per request. */
  batchSize: number;
  /** Seconds excluded from the steady-state rate. */
  warmupS: number;
  healthTimeoutMs: number;
  /** SIGTERM → exit allowance before SIGKILL. */
  stopTimeoutMs: number;
}

/** Reads `BENCH_DURATION_S` and `BENCH_CONNECTIONS` from `env`; an error message for bad values. */
export function parseIngestBenchConfig(
  env: Record<string, string | undefined>,
): { ok: true; config: IngestBenchConfig } | { ok: false; error: string } {
  const read = (name: string, fallback: number, min: number, max: number, integer: boolean): number | string => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    const valid = Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value));
    return valid ? value : `${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got "${raw}"`;
  };
  const durationS = read('BENCH_DURATION_S', 30, 1, 3_600, false);
  const connections = read('BENCH_CONNECTIONS', 8, 1, 256, true);
  if (typeof durationS === 'string') return { ok: false, error: durationS };
  if (typeof connections === 'string') return { ok: false, error: connections };
  return {
    ok: true,
    config: { durationS, connections, batchSize: 512, warmupS: 5, healthTimeoutMs: 60_000, stopTimeoutMs: 30_000 },
  };
}
