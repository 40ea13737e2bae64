/**
 * Sequential timed GETs against a running collector: one request at a time over a keep-alive
 * connection, so each latency is the server's answer time for that request alone.
 */
import type { EndpointSpec } from './query-endpoints.js';
import { percentile } from './stats.js';

/** A GET's outcome: status, body (parsed JSON, or the text when it is not JSON) and wall time. */
export interface GetResult {
  status: number;
  body: unknown;
  ms: number;
  error?: string;
}

/** `GET baseUrl + path`, timed from send to the last body byte; network errors become status 0. */
export async function timedGet(baseUrl: string, path: string, timeoutMs: number): Promise<GetResult> {
  const started = performance.now();
  try {
    const response = await fetch(new URL(path, baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    const ms = performance.now() - started;
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text for the error message
    }
    return { status: response.status, body, ms };
  } catch (error) {
    return { status: 0, body: undefined, ms: performance.now() - started, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Latencies of one endpoint, ms (nearest-rank percentiles; NaN when nothing succeeded). */
export interface EndpointLatency {
  name: string;
  group: EndpointSpec['group'];
  /** Timed requests made (fewer than asked when the time budget ran out). */
  requests: number;
  failures: number;
  /** Up to three distinct failure descriptions. */
  failureSamples: string[];
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** True when the budget stopped the run before `requests` were made. */
  cutShort: boolean;
}

/** How many requests to make and for how long at most. */
export interface ProbeOptions {
  warmup: number;
  requests: number;
  budgetMs: number;
  timeoutMs: number;
}

/**
 * Warms up with up to `warmup` untimed requests, then makes up to `requests` timed ones, stopping early
 * once `budgetMs` has passed. A non-200 answer or a body that fails the spec's check is a failure
 * (its time is not in the percentiles).
 */
export async function probeEndpoint(baseUrl: string, spec: EndpointSpec, options: ProbeOptions): Promise<EndpointLatency> {
  // Warm-up takes at most a quarter of the budget (but always one request), so slow endpoints keep time to be measured.
  const warmupUntil = performance.now() + options.budgetMs / 4;
  for (let i = 0; i < options.warmup && (i === 0 || performance.now() < warmupUntil); i++) {
    await timedGet(baseUrl, spec.path(options.requests + i), options.timeoutMs);
  }
  const latencies: number[] = [];
  const failures = new Set<string>();
  let failed = 0;
  const deadline = performance.now() + options.budgetMs;
  let made = 0;
  while (made < options.requests && performance.now() < deadline) {
    const result = await timedGet(baseUrl, spec.path(made), options.timeoutMs);
    made++;
    const problem = result.status !== 200
      ? `HTTP ${result.status}${result.error ? ` ${result.error}` : ''}: ${JSON.stringify(result.body ?? '').slice(0, 200)}`
      : spec.check(result.body);
    if (problem === undefined) {
      latencies.push(result.ms);
      continue;
    }
    failed++;
    if (failures.size < 3) failures.add(problem);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    name: spec.name,
    group: spec.group,
    requests: made,
    failures: failed,
    failureSamples: [...failures],
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
    cutShort: made < options.requests,
  };
}
