/**
 * Hourly analytics rollups on the real embedded engine: the query bench's dataset (7 days, two
 * tenants, 1% of traces re-derived) generated straight into the tables, rolled up by the job, and
 * every figure of the report compared with the same report read raw. Counts and sums must agree
 * exactly (costs to float precision), quantiles within the t-digest's tolerance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE, MIGRATIONS_DIR, TABLES } from '@agentflow/schemas';
import { loadMigrations, migrate, openStorage, purgeBefore, withSettings, type Storage } from '../src/storage/index.js';
import { RollupJob } from '../src/processing/index.js';
import { loadReport, type Overview } from '../src/api/analytics/report.js';
import { planRead, type ReadPlan } from '../src/api/analytics/read-plan.js';
import { actionFigures } from '../src/api/analytics/action-stats.js';
import type { Scope } from '../src/api/analytics/scope.js';
import { DATASET_STATEMENTS, datasetParams } from '../bench/query-dataset.js';

const HOUR_MS = 3_600_000;
const MS = 1_000_000n;
const TENANT = 'default';
const REAL_NOW = Date.now();
// Unaligned at the start (a partial hour read raw), ending two hours ago on the hour.
const FROM_MS = Math.floor(REAL_NOW / HOUR_MS) * HOUR_MS - 6 * 24 * HOUR_MS - 30 * 60_000;
const TO_MS = Math.floor(REAL_NOW / HOUR_MS) * HOUR_MS - 2 * HOUR_MS;
const SETTINGS = { intervalMs: 3_600_000, settleMs: 420_000, graceMs: 120_000 };
/**
 * Relative error allowed on a t-digest quantile of at least {@link QUANTILE_MIN_VALUES} values. Over
 * fewer values the estimate is only within the gap between neighbouring values, which says little.
 */
const QUANTILE_TOLERANCE = 0.05;
const QUANTILE_MIN_VALUES = 1000;

let storage: Storage;
let dir: string;
let clock = REAL_NOW;
const silent = { info: () => {}, warn: () => {}, debug: () => {} };
const newJob = () => new RollupJob({ client: storage.client, log: silent, now: () => clock }, SETTINGS);
let job: RollupJob;

const scope = (nowMs: number, agent: string | null = null): Scope => ({
  tenant: TENANT, agent, nowMs, range: { fromNs: BigInt(FROM_MS) * MS, toNs: BigInt(TO_MS) * MS, bucket: 'hour' },
});
/** The report read wholly raw: with "now" at the range's start no hour counts as rolled up. */
const rawReport = (agent: string | null = null) => loadReport(storage.client, scope(FROM_MS, agent));
const rolledReport = (agent: string | null = null) => loadReport(storage.client, scope(clock, agent));
const run = (sql: string, params: Record<string, unknown> = {}) =>
  storage.client.command({ query: withSettings(sql, { async_insert: 0, mutations_sync: 2 }), query_params: params });
const count = async (sql: string, params: Record<string, unknown> = {}) =>
  Number((await (await storage.client.query({ query: sql, format: 'JSONEachRow', query_params: params })).json<{ n: string }>())[0]?.n);

/**
 * Every figure of two reports: exact where they must be, quantiles within tolerance. A tail-latency
 * suggestion (p95 at least 3× p50) may differ only for an agent whose raw ratio is within the
 * quantile tolerance of the threshold.
 */
function expectAgree(rolledReport: Overview, rawReport: Overview): void {
  const tail = (r: Overview) => new Set(r.suggestions.filter((s) => s.rule === 'tail_latency').map((s) => s.agent));
  const [rolledTail, rawTail] = [tail(rolledReport), tail(rawReport)];
  for (const agent of [...rolledTail, ...rawTail].filter((x) => rolledTail.has(x) !== rawTail.has(x))) {
    const d = rawReport.agents.find((x) => x.agent === agent)?.duration_ms;
    expect(Math.abs((d?.p95 ?? 0) / (d?.p50 ?? 1) - 3)).toBeLessThan(3 * 2 * QUANTILE_TOLERANCE);
  }
  const withoutTail = (r: Overview): Overview => ({ ...r, suggestions: r.suggestions.filter((s) => s.rule !== 'tail_latency') });
  expectFiguresAgree(withoutTail(rolledReport), withoutTail(rawReport));
}

/**
 * Every leaf of two answers of one shape: numbers exact (non-integers to float precision),
 * quantiles within {@link QUANTILE_TOLERANCE} where they are over enough values.
 */
function expectFiguresAgree(rolled: object, raw: object): void {
  const quantiles: [string, number | null, number | null][] = [];
  const strip = (value: unknown, path: string, into: Map<string, unknown>): void => {
    if (Array.isArray(value)) value.forEach((v, i) => strip(v, `${path}[${i}]`, into));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) strip(v, `${path}.${k}`, into);
    else into.set(path, value);
  };
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  strip(rolled, '', a);
  strip(raw, '', b);
  expect([...a.keys()].filter((k) => !b.has(k)).slice(0, 5)).toEqual([]);
  expect([...b.keys()].filter((k) => !a.has(k)).slice(0, 5)).toEqual([]);
  for (const [path, value] of a) {
    const other = b.get(path);
    if (/\.(p50|p95|p99|p50_ms|p95_ms)$/.test(path)) {
      quantiles.push([path, value as number | null, other as number | null]);
    } else if (typeof value === 'number' && !Number.isInteger(value)) expect(value, path).toBeCloseTo(other as number, 6);
    else expect(value, path).toEqual(other);
  }
  let compared = 0;
  for (const [path, x, y] of quantiles) {
    // The values a quantile is over: `ended` beside a session's duration_ms, `calls` beside a step's p50_ms.
    const owner = path.replace(/\.duration_ms\.p\d+$/, '').replace(/\.p\d+_ms$/, '');
    const values = Number(b.get(`${owner}.ended`) ?? b.get(`${owner}.calls`) ?? 0);
    expect(typeof x, path).toBe(typeof y);
    if (typeof x !== 'number' || typeof y !== 'number' || values < QUANTILE_MIN_VALUES) continue;
    expect(Math.abs(x - y), path).toBeLessThanOrEqual(Math.abs(y) * QUANTILE_TOLERANCE);
    compared++;
  }
  expect(compared).toBeGreaterThan(0);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentflow-rollups-'));
  storage = openStorage({ kind: 'embedded', dataDir: dir });
  await migrate(storage.client, loadMigrations(MIGRATIONS_DIR));
  // Derived two hours ago: settled for the job's real clock.
  const params = datasetParams({ spans: 120_000, seed: 7, tenant: TENANT, otherTenant: 'other', nowNs: BigInt(REAL_NOW) * MS, version: BigInt(REAL_NOW - 2 * HOUR_MS) * MS });
  for (const s of DATASET_STATEMENTS) await run(s.sql, params);
  job = newJob();
}, 120_000);
afterAll(async () => {
  await job?.stop();
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hourly rollups', () => {
  it('backfill rolls up every closed hour with data; the report then reads them and agrees with the raw one', async () => {
    const raw = await rawReport();
    expect(raw.summary.executions).toBeGreaterThan(1000);
    const pass = await job.runPass();
    expect(pass).toMatchObject({ complete: true, pending: 0 });
    expect(pass.hours).toBeGreaterThan(2 * 24 * 6);
    // The range ends over an hour ago: sessions and actions read the same hours.
    const plans = await planRead(storage.client, scope(clock));
    expect(plans.sessions).toEqual(plans.actions);
    expect(plans.actions.rolled).toEqual([{ fromNs: BigInt(FROM_MS + 30 * 60_000) * MS, toNs: BigInt(TO_MS) * MS }]);
    expect(plans.actions.raw).toEqual([{ fromNs: BigInt(FROM_MS) * MS, toNs: BigInt(FROM_MS + 30 * 60_000) * MS }]);
    expectAgree(await rolledReport(), raw);
    const agent = raw.agents[3]?.agent ?? '';
    expectAgree(await rolledReport(agent), await rawReport(agent));
    // A second pass finds nothing new.
    expect(await job.runPass()).toMatchObject({ hours: 0, runs: 0 });
  });

  it('action figures read every rolled-up hour, session figures only those ended before the stale-running threshold', async () => {
    const upToNow: Scope = { ...scope(clock), range: { fromNs: BigInt(FROM_MS) * MS, toNs: BigInt(clock) * MS, bucket: 'hour' } };
    const floorHour = (ms: number) => BigInt(ms - (ms % HOUR_MS)) * MS;
    // The job has rolled up every hour that closed before the settle horizon.
    const closedEnd = floorHour(clock - SETTINGS.settleMs);
    const staleEnd = floorHour(clock - HOUR_MS);
    const plans = await planRead(storage.client, upToNow);
    expect(plans.actions.rolled.at(-1)?.toNs).toBe(closedEnd);
    expect(plans.sessions.rolled.at(-1)?.toNs).toBe(closedEnd < staleEnd ? closedEnd : staleEnd);
    const allRaw: ReadPlan = { rolled: [], raw: [{ fromNs: upToNow.range.fromNs, toNs: upToNow.range.toNs }] };
    expectFiguresAgree(await actionFigures(storage.client, upToNow, plans.actions), await actionFigures(storage.client, upToNow, allRaw));
  });

  it('recomputes hours re-derived with a higher version without counting them twice, dropping groups that vanished', async () => {
    const version = BigInt(clock + 60_000) * MS;
    const traces = "cityHash64(trace_id) % 10 = 3 AND tenant_id = 'default'";
    await run(`INSERT INTO ${DATABASE}.${TABLES.SESSIONS_DATA} SELECT * REPLACE ({v:UInt64} AS version, if(status = 'failed', 'completed', 'failed') AS status) FROM ${DATABASE}.${TABLES.SESSIONS} WHERE ${traces}`, { v: version.toString() });
    await run(`INSERT INTO ${DATABASE}.${TABLES.ACTIONS_DATA} SELECT * REPLACE ({v:UInt64} AS version, if(tool_name != '', 'renamed_tool', tool_name) AS tool_name) FROM ${DATABASE}.${TABLES.ACTIONS} WHERE ${traces}`, { v: version.toString() });
    const raw = await rawReport();
    expect(raw.tools.map((t) => t.tool)).toContain('renamed_tool');
    // Not settled yet: the rollups still hold the earlier derivation.
    expect(await job.runPass()).toMatchObject({ runs: 0 });
    expect(await job.runPass()).toMatchObject({ pending: expect.any(Number) });
    clock += 10 * 60_000;
    const pass = await job.runPass();
    expect(pass.runs).toBeGreaterThan(0);
    expect(pass.pending).toBe(0);
    expectAgree(await rolledReport(), raw);
  });

  it('purge deletes the rollups before the cut, and the hour it cuts through is read raw until recomputed', async () => {
    const cutMs = FROM_MS + 3 * 24 * HOUR_MS + 20 * 60_000;
    const cutHour = cutMs - (cutMs % HOUR_MS);
    await purgeBefore(storage.client, TENANT, BigInt(cutMs) * MS, () => {});
    const before = { tenant: TENANT, cut: Math.floor(cutHour / 1000) };
    for (const table of [TABLES.SESSION_ROLLUPS, TABLES.ACTION_ROLLUPS, TABLES.REPEAT_ROLLUPS]) {
      expect(await count(`SELECT count() AS n FROM ${DATABASE}.${table} WHERE tenant_id = {tenant:String} AND hour <= toDateTime({cut:UInt32}, 'UTC')`, before)).toBe(0);
    }
    expect(await count(`SELECT count() AS n FROM ${DATABASE}.${TABLES.ROLLUP_HOURS} FINAL WHERE tenant_id = {tenant:String} AND hour = toDateTime({cut:UInt32}, 'UTC') AND stale = 1`, before)).toBe(1);
    const plan = (await planRead(storage.client, scope(clock))).sessions;
    expect(plan.raw.some((r) => r.fromNs <= BigInt(cutMs) * MS && r.toNs > BigInt(cutMs) * MS)).toBe(true);
    const raw = await rawReport();
    expectAgree(await rolledReport(), raw);
    const pass = await job.runPass();
    expect(pass.runs).toBe(1);
    expect(await count(`SELECT count() AS n FROM ${DATABASE}.${TABLES.ROLLUP_HOURS} FINAL WHERE tenant_id = {tenant:String} AND stale = 1`, before)).toBe(0);
    expectAgree(await rolledReport(), raw);
  });

  it('a fresh job backfills rollups that are missing, and stops idempotently', async () => {
    const rolled = await rolledReport();
    for (const table of [TABLES.SESSION_ROLLUPS, TABLES.ACTION_ROLLUPS, TABLES.REPEAT_ROLLUPS, TABLES.ROLLUP_HOURS]) await run(`TRUNCATE TABLE ${DATABASE}.${table}`);
    const fresh = newJob();
    fresh.start();
    await fresh.stop();
    await fresh.stop();
    const backfill = await newJob().runPass();
    expect(backfill.hours).toBeGreaterThan(0);
    expectAgree(await rolledReport(), rolled);
  });
});
