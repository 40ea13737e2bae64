/**
 * Child process of the query bench: fills a fresh embedded data dir with the bench dataset, then
 * prints what it made as one result line (see query-protocol.ts) and exits, releasing the dir for
 * the server (the embedded engine holds one data dir per process).
 *
 *   node query-generate.js --dir <data dir> --spans <n> --seed <n> --merge-s <s>
 */
import { parseArgs } from 'node:util';
import { DATABASE, DEFAULT_TENANT, MIGRATIONS_DIR, TABLES, TENANT_COLUMNS } from '@agentflow/schemas';
import type { ClickHouseClient } from '@clickhouse/client';
import { loadMigrations, migrate, openStorage, withSettings } from '../dist/storage/index.js';
import { parseConfig } from '../dist/config.js';
import { RollupJob } from '../dist/processing/index.js';
import { DATASET_STATEMENTS, datasetParams, sessionsFor, type DatasetPlan } from './query-dataset.js';
import { formatResultLine, type GeneratedDataset, type TableCount } from './query-protocol.js';

/** The tenant whose rows every answer must leave out. */
const OTHER_TENANT = 'bench-other';

// A bulk load, not the hot path: both cores insert, and no deduplication hashes are kept.
const INSERT_SETTINGS = { async_insert: 0, insert_deduplicate: 0, max_insert_threads: 2, max_threads: 2 } as const;

const COUNTED = [
  TABLES.TRACES, TABLES.TRACES_TRACE_ID_TS, TABLES.SESSIONS_DATA, TABLES.ACTIONS_DATA, TABLES.TRANSITIONS_DATA,
  TABLES.DECISIONS_DATA, TABLES.COMMUNICATIONS_DATA, TABLES.SESSION_ROLLUPS, TABLES.ACTION_ROLLUPS, TABLES.REPEAT_ROLLUPS,
] as const;

function log(message: string): void {
  process.stderr.write(`query-generate: ${message}\n`);
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const rs = await client.query({ query, format: 'JSONEachRow', query_params: params });
  return rs.json<T>();
}

/** Waits until no merge has run for 3 s in a row, or `seconds` pass; returns the merges still running. */
async function waitForMerges(client: ClickHouseClient, seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let quietPolls = 0;
  let running = 0;
  while (performance.now() < deadline && quietPolls < 3) {
    running = Number((await rows<{ n: string }>(client, 'SELECT count() AS n FROM system.merges'))[0]?.n ?? 0);
    quietPolls = running === 0 ? quietPolls + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return running;
}

async function countTables(client: ClickHouseClient, tenant: string): Promise<TableCount[]> {
  const parts = new Map((await rows<{ table: string; parts: string }>(client,
    'SELECT table, count() AS parts FROM system.parts WHERE database = {db:String} AND active GROUP BY table', { db: DATABASE }))
    .map((r) => [r.table, Number(r.parts)]));
  const out: TableCount[] = [];
  for (const table of COUNTED) {
    const column = TENANT_COLUMNS[table] ?? 'tenant_id';
    const [r] = await rows<{ mine: string; other: string }>(client,
      `SELECT countIf(${column} = {tenant:String}) AS mine, countIf(${column} != {tenant:String}) AS other FROM ${DATABASE}.${table}`,
      { tenant });
    out.push({ table, tenantRows: Number(r?.mine ?? 0), otherRows: Number(r?.other ?? 0), parts: parts.get(table) ?? 0 });
  }
  return out;
}

/**
 * The server's rollup backfill over the generated data, with the server's default settings: the
 * bench measures analytics reading closed hours from rollups, as a running server does.
 */
async function rollUp(client: ClickHouseClient): Promise<{ hours: number; seconds: number }> {
  const parsed = parseConfig({});
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const t0 = performance.now();
  const quiet = { info: () => {}, warn: () => {}, debug: () => {} };
  const pass = await new RollupJob({ client, log: quiet }, parsed.config.rollup).runPass();
  return { hours: pass.hours, seconds: (performance.now() - t0) / 1000 };
}

/** Generates the dataset into `dir` and describes it. */
async function generateDataset(dir: string, spans: number, seed: number, mergeWaitS: number): Promise<GeneratedDataset> {
  const started = performance.now();
  const nowMs = Date.now();
  const plan: DatasetPlan = {
    spans, seed, tenant: DEFAULT_TENANT, otherTenant: OTHER_TENANT,
    // Derived an hour ago, as if assembly had run as the spans came: settled for the rollup job.
    nowNs: BigInt(nowMs) * 1_000_000n, version: BigInt(nowMs - 3_600_000) * 1_000_000n,
  };
  const storage = openStorage({ kind: 'embedded', dataDir: dir });
  try {
    const { client } = storage;
    await migrate(client, loadMigrations(MIGRATIONS_DIR));
    const params = datasetParams(plan);
    const steps: { name: string; seconds: number }[] = [];
    for (const statement of DATASET_STATEMENTS) {
      const t0 = performance.now();
      await client.command({ query: withSettings(statement.sql, INSERT_SETTINGS), query_params: params });
      steps.push({ name: statement.name, seconds: (performance.now() - t0) / 1000 });
      log(`${statement.name}: ${steps.at(-1)?.seconds.toFixed(1)} s`);
    }
    const mergeStarted = performance.now();
    const mergesRunning = mergeWaitS > 0 ? await waitForMerges(client, mergeWaitS) : 0;
    const mergeWaitSeconds = mergeWaitS > 0 ? (performance.now() - mergeStarted) / 1000 : 0;
    const rollups = await rollUp(client);
    log(`hourly rollups: ${rollups.hours} tenant-hours in ${rollups.seconds.toFixed(1)} s`);
    const tables = await countTables(client, plan.tenant);
    const sessionsTable = `${DATABASE}.${TABLES.SESSIONS_DATA}`;
    const sample = async (tenant: string, limit: number): Promise<string[]> =>
      (await rows<{ session_id: string }>(client,
        `SELECT session_id FROM ${sessionsTable} WHERE tenant_id = {tenant:String} ORDER BY cityHash64(session_id, {seed:UInt64}) LIMIT {limit:UInt32}`,
        { tenant, seed, limit })).map((r) => r.session_id);
    const agents = (await rows<{ agent_name: string; n: string }>(client,
      `SELECT agent_name, uniqExact(session_id) AS n FROM ${sessionsTable} WHERE tenant_id = {tenant:String} GROUP BY agent_name ORDER BY n DESC, agent_name`,
      { tenant: plan.tenant })).map((r) => ({ name: r.agent_name, sessions: Number(r.n) }));
    const [disk] = await rows<{ bytes: string }>(client,
      'SELECT sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = {db:String} AND active', { db: DATABASE });
    const spansStored = tables.find((t) => t.table === TABLES.TRACES);
    return {
      spans: (spansStored?.tenantRows ?? 0) + (spansStored?.otherRows ?? 0),
      sessions: sessionsFor(spans),
      tables,
      steps,
      totalSeconds: (performance.now() - started) / 1000,
      mergeWaitSeconds,
      mergesRunning,
      rollups,
      bytesOnDisk: Number(disk?.bytes ?? 0),
      windowFrom: new Date(nowMs - 7 * 86_400_000).toISOString(),
      sampleSessionIds: await sample(plan.tenant, 400),
      otherTenantSessionIds: await sample(OTHER_TENANT, 20),
      agents,
    };
  } finally {
    await storage.close();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { dir: { type: 'string' }, spans: { type: 'string' }, seed: { type: 'string', default: '1' }, 'merge-s': { type: 'string', default: '0' } },
  });
  const spans = Number(values.spans);
  const seed = Number(values.seed);
  const mergeS = Number(values['merge-s']);
  if (!values.dir || !Number.isInteger(spans) || spans < 1 || !Number.isInteger(seed) || !(mergeS >= 0)) {
    log('usage: query-generate --dir <data dir> --spans <n> [--seed <n>] [--merge-s <s>]');
    return 2;
  }
  const dataset = await generateDataset(values.dir, spans, seed, mergeS);
  process.stdout.write(`${formatResultLine(dataset)}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
