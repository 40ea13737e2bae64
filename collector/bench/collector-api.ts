/** The few collector REST calls the benches make, as result values rather than exceptions. */
import { DATABASE, TABLES } from '@agentflow/schemas';

/** A query outcome: rows, or what went wrong. */
export type SqlResult = { ok: true; rows: Record<string, unknown>[] } | { ok: false; error: string };

/** `POST <baseUrl>/api/v1/sql` with `{query}`; times out after `timeoutMs` (default 30 s). */
export async function querySql(baseUrl: string, query: string, timeoutMs = 30_000): Promise<SqlResult> {
  try {
    const response = await fetch(new URL('/api/v1/sql', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (response.status !== 200) return { ok: false, error: `HTTP ${response.status}: ${text.slice(0, 500)}` };
    const body = JSON.parse(text) as { rows?: unknown };
    if (!Array.isArray(body.rows)) return { ok: false, error: 'response has no rows array' };
    return { ok: true, rows: body.rows as Record<string, unknown>[] };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** A count outcome. */
export type CountResult = { ok: true; count: number } | { ok: false; error: string };

/** Rows in `agentflow.otel_traces` (all tenants). 64-bit counts arrive as strings. */
export async function countStoredSpans(baseUrl: string): Promise<CountResult> {
  const result = await querySql(baseUrl, `SELECT count() AS n FROM ${DATABASE}.${TABLES.TRACES}`);
  if (!result.ok) return result;
  const count = Number(result.rows[0]?.n);
  return Number.isSafeInteger(count) ? { ok: true, count } : { ok: false, error: `unexpected count ${String(result.rows[0]?.n)}` };
}

/**
 * Waits for the stored count to reach `expected` (what was acknowledged), polling every
 * `intervalMs` (default 500): acknowledged rows may still sit in the server's write buffer for a
 * moment. Gives up when the count has not moved for `settleMs` (default 5 s) or after
 * `timeoutMs` (default 30 s), and returns the last count.
 */
export async function waitForStoredSpans(
  baseUrl: string,
  expected: number,
  options: { intervalMs?: number; settleMs?: number; timeoutMs?: number } = {},
): Promise<CountResult> {
  const deadline = performance.now() + (options.timeoutMs ?? 30_000);
  let last = await countStoredSpans(baseUrl);
  let lastChangeAt = performance.now();
  while (last.ok && last.count < expected && performance.now() < deadline) {
    if (performance.now() - lastChangeAt >= (options.settleMs ?? 5_000)) break;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
    const next = await countStoredSpans(baseUrl);
    if (!next.ok) return next;
    if (next.count !== last.count) lastChangeAt = performance.now();
    last = next;
  }
  return last;
}

/** `SELECT version()` of the storage engine, or undefined if the query fails. */
export async function storageVersion(baseUrl: string): Promise<string | undefined> {
  const result = await querySql(baseUrl, 'SELECT version() AS v', 10_000);
  const version = result.ok ? result.rows[0]?.v : undefined;
  return typeof version === 'string' ? version : undefined;
}

/** Trace assembly's counters as `/health` reports them. */
export interface AssemblyFigures {
  openTraces: number;
  openSpans: number;
  settledTraces: number;
  failedTraces: number;
}

/** The assembly counters from `GET <baseUrl>/health`, or undefined if they cannot be read. */
export async function assemblyFigures(baseUrl: string): Promise<AssemblyFigures | undefined> {
  try {
    const response = await fetch(new URL('/health', baseUrl), { signal: AbortSignal.timeout(10_000) });
    const assembly = ((await response.json()) as { assembly?: unknown }).assembly;
    return typeof assembly === 'object' && assembly !== null && 'settledTraces' in assembly ? (assembly as AssemblyFigures) : undefined;
  } catch {
    return undefined;
  }
}
