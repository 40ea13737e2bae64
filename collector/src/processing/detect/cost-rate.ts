import type { AnomalyRow } from '@agentflow/schemas';
import { shortHash } from '../loops/index.js';
import type { CostRateLimit } from './settings.js';

const MINUTE_NS = 60_000_000_000n;
const HOUR_MINUTES = 60;

/** One spend: an action's cost, by whom, when. */
export interface Spend {
  tenantId: string;
  agentName: string;
  spanId: string;
  costUsd: number;
  atNs: bigint;
}

/**
 * `budget.cost_rate`: spend over the last hour per agent (or tenant) against a limit, in
 * minute buckets of the spans' own end times. Each action counts once however often its trace
 * is looked at: span ids already counted are remembered (bounded).
 */
export class CostRateMeter {
  private readonly buckets = new Map<string, Map<bigint, number>>();
  private readonly counted = new Set<string>();

  constructor(private readonly limit: CostRateLimit, private readonly maxRemembered = 500_000) {}

  /** Adds spends; returns a `budget.cost_rate` row (version 0) for each scope now over its limit. */
  add(spends: readonly Spend[]): AnomalyRow[] {
    const touched = new Map<string, Spend>();
    for (const s of spends) {
      if (s.costUsd <= 0 || this.counted.has(s.spanId)) continue;
      this.remember(s.spanId);
      const scope = this.limit.per === 'agent' ? `${s.tenantId}\u0000${s.agentName}` : s.tenantId;
      let perMinute = this.buckets.get(scope);
      if (!perMinute) this.buckets.set(scope, (perMinute = new Map()));
      const minute = s.atNs / MINUTE_NS;
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + s.costUsd);
      const last = touched.get(scope);
      if (!last || s.atNs > last.atNs) touched.set(scope, s);
    }
    const rows: AnomalyRow[] = [];
    for (const [scope, latest] of touched) {
      const perMinute = this.buckets.get(scope) as Map<bigint, number>;
      const now = latest.atNs / MINUTE_NS;
      let spent = 0;
      for (const [minute, usd] of perMinute) {
        if (minute <= now - BigInt(HOUR_MINUTES)) perMinute.delete(minute);
        else spent += usd;
      }
      if (spent <= this.limit.usdPerHour) continue;
      // One anomaly per scope and clock hour, so a sustained overspend reads as one row an hour.
      const hour = latest.atNs / (MINUTE_NS * BigInt(HOUR_MINUTES));
      const who = this.limit.per === 'agent' ? `agent ${latest.agentName || '(unnamed)'}` : `tenant ${latest.tenantId}`;
      rows.push({
        tenantId: latest.tenantId, anomalyId: shortHash(`cost_rate\u0000${scope}\u0000${hour}`), sessionId: '', traceId: '',
        agentName: this.limit.per === 'agent' ? latest.agentName : '', kind: 'budget.cost_rate', severity: 'critical',
        detail: `${who} spent $${spent.toFixed(2)} in the last hour, over the limit of $${this.limit.usdPerHour.toFixed(2)} per hour`,
        evidence: [latest.spanId], count: 1, detectedAt: latest.atNs, lastSeenAt: latest.atNs, resolvedAt: null, version: 0n,
      });
    }
    return rows;
  }

  private remember(spanId: string): void {
    this.counted.add(spanId);
    if (this.counted.size > this.maxRemembered) {
      const oldest = this.counted.values().next().value;
      if (oldest !== undefined) this.counted.delete(oldest);
    }
  }
}
