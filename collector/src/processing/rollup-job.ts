import type { ClickHouseClient } from '@clickhouse/client';
import { changedHours, HOUR_NS, recomputeRun, type ChangedHour, type HourRun } from './rollup-hours.js';
import { createVersionClock } from '../storage/version-clock.js';

/** When hours are rolled up. */
export interface RollupSettings {
  /** How often a pass looks for closed or changed hours, ms. */
  intervalMs: number;
  /**
   * How long after its last derivation an hour's rows count as settled, ms: the assembly's
   * longest wait (its trace timeout) plus a margin for the writer.
   */
  settleMs: number;
  /** Allowance for a derived row to be committed after its version (derivation time), ms. */
  graceMs: number;
}

/** What the job needs. */
export interface RollupJobDeps {
  client: ClickHouseClient;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void; debug(o: object, m: string): void };
  /** The clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** What one pass did. */
export interface RollupPass {
  /** Tenant-hours found changed and settled, and the runs of hours recomputed for them. */
  hours: number;
  runs: number;
  /** Changed hours left for a later pass: derived within the settle horizon. */
  pending: number;
  /** False when stop() cut the pass short. */
  complete: boolean;
}

/** Hours recomputed by one statement at most: bounds the memory and time of each step. */
const MAX_RUN_HOURS = 24;

/**
 * Keeps the hourly analytics rollups current. A pass recomputes every closed hour (ended more than
 * the settle horizon ago) whose derived sessions or actions changed since it was rolled up and
 * have settled: new hours, late spans, a rebuild (re-derived rows carry newer versions) or a purge
 * (which marks its hour stale). The first pass after start compares every hour with the ledger, so
 * it backfills hours that have data but no rollup; later passes look only at rows derived since
 * the previous one, less a grace for late commits, and at newly closed hours.
 */
export class RollupJob {
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  /** What the next pass scans; zeros: everything (the first pass is the backfill). */
  private scan = { sinceVersion: 0n, newFromNs: 0n };
  /** Rollup rows of a later computation must win (ReplacingMergeTree keeps the highest computed_at). */
  private readonly nextComputedAt: () => bigint;

  constructor(private readonly deps: RollupJobDeps, private readonly settings: RollupSettings) {
    this.now = deps.now ?? Date.now;
    this.nextComputedAt = createVersionClock(this.now);
  }

  /** Runs the backfill pass now and a pass every `intervalMs` after, one at a time. */
  start(): void {
    if (this.stopped || this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.settings.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass in progress, which ends after its current run of hours. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass, now: exported for the query bench, which rolls up a generated dataset the way the server does. */
  async runPass(): Promise<RollupPass> {
    const started = performance.now();
    const nowNs = BigInt(this.now()) * 1_000_000n;
    const cutoff = nowNs - BigInt(this.settings.settleMs) * 1_000_000n;
    const closedBeforeNs = cutoff - (cutoff % HOUR_NS);
    const changed = await changedHours(this.deps.client, { ...this.scan, closedBeforeNs });
    const settled = changed.filter((c) => c.version <= cutoff);
    const runs = runsOf(settled, closedBeforeNs);
    for (const run of runs) {
      if (this.stopped) return { hours: settled.length, runs: runs.length, pending: changed.length - settled.length, complete: false };
      await recomputeRun(this.deps.client, run, this.nextComputedAt());
    }
    const backfill = this.scan.sinceVersion === 0n;
    this.scan = { sinceVersion: cutoff - BigInt(this.settings.graceMs) * 1_000_000n, newFromNs: closedBeforeNs };
    const pass = { hours: settled.length, runs: runs.length, pending: changed.length - settled.length, complete: true };
    if (runs.length > 0) {
      const fields = { ...pass, seconds: Math.round(performance.now() - started) / 1000 };
      if (backfill) this.deps.log.info(fields, 'hourly rollups backfilled');
      else this.deps.log.debug(fields, 'hourly rollups recomputed');
    }
    return pass;
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.runPass()
      .catch((err: unknown) => this.deps.log.warn({ err }, 'rollup pass failed; retrying at the next interval'))
      .finally(() => {
        this.running = undefined;
      });
  }
}

/**
 * The hours to recompute, as runs per tenant: each changed hour with its neighbours (repeat groups
 * are counted across an hour boundary), closed hours only, contiguous hours merged, runs split at
 * {@link MAX_RUN_HOURS}.
 */
export function runsOf(changed: readonly ChangedHour[], closedBeforeNs: bigint): HourRun[] {
  const byTenant = new Map<string, Set<bigint>>();
  for (const c of changed) {
    const hours = byTenant.get(c.tenant) ?? new Set<bigint>();
    for (const h of [c.hourNs - HOUR_NS, c.hourNs, c.hourNs + HOUR_NS]) if (h < closedBeforeNs) hours.add(h);
    byTenant.set(c.tenant, hours);
  }
  const runs: HourRun[] = [];
  for (const [tenant, hours] of byTenant) {
    for (const h of [...hours].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const last = runs.at(-1);
      if (last && last.tenant === tenant && last.toNs === h && last.toNs - last.fromNs < BigInt(MAX_RUN_HOURS) * HOUR_NS) last.toNs = h + HOUR_NS;
      else runs.push({ tenant, fromNs: h, toNs: h + HOUR_NS });
    }
  }
  return runs;
}
