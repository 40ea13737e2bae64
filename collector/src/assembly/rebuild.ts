import type { ClickHouseClient } from '@clickhouse/client';
import type { SpanRow } from '@agentflow/schemas';
import type { CanonicalSpan } from '../mapping/canonical-span.js';
import { listTenants, listTraceIds, readTraceSpans } from '../storage/index.js';
import type { Assembler } from './assembler.js';

/** Progress of a rebuild, reported after each page of traces. */
export interface RebuildProgress {
  tenant: string;
  traces: number;
  spans: number;
}

/** What a rebuild needs. */
export interface RebuildDeps {
  client: ClickHouseClient;
  assembler: Pick<Assembler, 'deriveAndWrite'>;
  toCanonical(row: SpanRow): CanonicalSpan;
}

const PAGE_TRACES = 500;

/**
 * Re-derives every agent record of the traces first seen since `since` (ns) from the raw spans
 * in `otel_traces`, writing them with new versions: repairs what a crash during assembly lost,
 * and applies a better mapping rule to old data. Walks trace ids in pages, so memory holds one
 * page of spans at a time.
 */
export async function rebuild(
  deps: RebuildDeps, since: bigint, tenants: readonly string[] | undefined, onProgress: (p: RebuildProgress) => void,
): Promise<RebuildProgress[]> {
  const done: RebuildProgress[] = [];
  for (const tenant of tenants ?? (await listTenants(deps.client, since))) {
    const progress: RebuildProgress = { tenant, traces: 0, spans: 0 };
    let after = '';
    for (;;) {
      const traceIds = await listTraceIds(deps.client, tenant, since, after, PAGE_TRACES);
      if (traceIds.length === 0) break;
      after = traceIds.at(-1) as string;
      const rows = await readTraceSpans(deps.client, tenant, traceIds);
      const byTrace = new Map<string, CanonicalSpan[]>();
      for (const row of rows) {
        const spans = byTrace.get(row.traceId) ?? [];
        spans.push(deps.toCanonical(row));
        byTrace.set(row.traceId, spans);
      }
      await deps.assembler.deriveAndWrite([...byTrace].map(([traceId, spans]) => ({ tenantId: tenant, traceId, spans })));
      progress.traces += byTrace.size;
      progress.spans += rows.length;
      onProgress({ ...progress });
    }
    done.push(progress);
  }
  return done;
}

/**
 * Parses a `--since` value: a duration back from `now` (`90s`, `30m`, `6h`, `7d`) or an
 * ISO-8601 time. Returns nanoseconds since the epoch, or an error naming the accepted forms.
 */
export function parseSince(text: string, nowMs: number): { ok: true; ns: bigint } | { ok: false; error: string } {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (m) {
    const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
    return { ok: true, ns: BigInt(nowMs - Number(m[1]) * unitMs) * 1_000_000n };
  }
  const ms = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text.trim()) && Number.isFinite(ms)) return { ok: true, ns: BigInt(ms) * 1_000_000n };
  return { ok: false, error: `since must be a duration like 30m, 6h or 7d, or an ISO time like 2026-11-21T06:00:00Z; got '${text}'` };
}
