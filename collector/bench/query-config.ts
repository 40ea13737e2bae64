/** Settings of the query-latency bench, from `BENCH_QUERY_*` environment variables. */

/** Settings of one query bench run. */
export interface QueryBenchConfig {
  /** Stored spans per dataset, one fresh data dir each, in order (`BENCH_QUERY_SIZES`, default 1M,10M). */
  sizes: number[];
  /** Timed requests per list/detail endpoint (`BENCH_QUERY_REQUESTS`, default 100). */
  requests: number;
  /** Timed requests per analytics endpoint (`BENCH_QUERY_ANALYTICS_REQUESTS`, default 30). */
  analyticsRequests: number;
  /** Untimed requests per endpoint before the timed ones. */
  warmupRequests: number;
  /** Time cap per endpoint, s (`BENCH_QUERY_ENDPOINT_S`, default 30): fewer requests are made past it. */
  endpointBudgetS: number;
  /**
   * Wait at most this long for background merges after generating, s (`BENCH_QUERY_MERGE_S`, default
   * 120; 0 measures the parts as inserted). The wait ends once no merge has run for 3 s.
   */
  mergeWaitS: number;
  /** Per-statement EXPLAIN and rows read for every endpoint, after the HTTP run (`BENCH_QUERY_EXPLAIN`, default 1). */
  explain: boolean;
  healthTimeoutMs: number;
  /** Before timing, wait this long at most for the server to go idle (start-up work, merges). */
  idleWaitMs: number;
  stopTimeoutMs: number;
  /** One request not answered within this is a failure. */
  requestTimeoutMs: number;
}

type Parsed = { ok: true; config: QueryBenchConfig } | { ok: false; error: string };

/** Reads the `BENCH_QUERY_*` variables from `env`; an error message names a bad one. */
export function parseQueryBenchConfig(env: Record<string, string | undefined>): Parsed {
  const int = (name: string, fallback: number, min: number, max: number): number | string => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw.replace(/_/g, ''));
    return Number.isInteger(value) && value >= min && value <= max ? value : `${name} must be an integer in [${min}, ${max}], got "${raw}"`;
  };
  const sizes = parseSizes(env.BENCH_QUERY_SIZES);
  if (typeof sizes === 'string') return { ok: false, error: sizes };
  const requests = int('BENCH_QUERY_REQUESTS', 100, 1, 100_000);
  const analyticsRequests = int('BENCH_QUERY_ANALYTICS_REQUESTS', 30, 1, 100_000);
  const endpointBudgetS = int('BENCH_QUERY_ENDPOINT_S', 30, 1, 3_600);
  const mergeWaitS = int('BENCH_QUERY_MERGE_S', 120, 0, 3_600);
  const explain = int('BENCH_QUERY_EXPLAIN', 1, 0, 1);
  for (const v of [requests, analyticsRequests, endpointBudgetS, mergeWaitS, explain]) if (typeof v === 'string') return { ok: false, error: v };
  return {
    ok: true,
    config: {
      sizes,
      requests: requests as number,
      analyticsRequests: analyticsRequests as number,
      warmupRequests: 3,
      endpointBudgetS: endpointBudgetS as number,
      mergeWaitS: mergeWaitS as number,
      explain: explain === 1,
      healthTimeoutMs: 120_000,
      idleWaitMs: 60_000,
      stopTimeoutMs: 30_000,
      requestTimeoutMs: 60_000,
    },
  };
}

/** `1000000,10000000`, `1e6,1e7` or `1_000_000`: positive span counts, at least 1,000 and at most 1e9. */
function parseSizes(raw: string | undefined): number[] | string {
  if (raw === undefined || raw.trim() === '') return [1_000_000, 10_000_000];
  const sizes = raw.split(',').map((part) => Number(part.trim().replace(/_/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1_000 || n > 1e9)) {
    return `BENCH_QUERY_SIZES must be comma-separated span counts between 1000 and 1e9, got "${raw}"`;
  }
  return sizes;
}
