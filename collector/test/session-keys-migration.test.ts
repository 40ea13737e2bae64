/**
 * Migration 0005 on a database made by 0001–0004 with sessions in it: the sessions table takes
 * its newest-first sort key and keeps every row, and each statement can run again after a crash at
 * any point of the migration without losing or doubling a session.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE, MIGRATIONS_DIR, TABLES } from '@agentflow/schemas';
import { loadMigrations, migrate, openStorage, type Storage } from '../src/storage/index.js';

const SESSION_KEYS = 5;
const dir = mkdtempSync(join(tmpdir(), 'agentflow-migration-'));
let storage: Storage;

async function rows<T>(query: string): Promise<T[]> {
  const rs = await storage.client.query({ query, format: 'JSONEachRow' });
  return rs.json<T>();
}

/** What the sessions view answers, in a fixed order. */
const sessions = () => rows<Record<string, unknown>>(
  `SELECT * EXCEPT version, toString(version) AS version FROM ${DATABASE}.${TABLES.SESSIONS} ORDER BY tenant_id, session_id`,
);

async function sortingKey(): Promise<string> {
  const [table] = await rows<{ sorting_key: string }>(
    `SELECT sorting_key FROM system.tables WHERE database = '${DATABASE}' AND name = '${TABLES.SESSIONS_DATA}'`,
  );
  return table?.sorting_key ?? '';
}

let before: Record<string, unknown>[];
beforeAll(async () => {
  storage = openStorage({ kind: 'embedded', dataDir: dir });
  const all = loadMigrations(MIGRATIONS_DIR);
  await migrate(storage.client, all.filter((m) => m.version < SESSION_KEYS));
  // 300 sessions of two tenants over three months; every third stored again with a higher version and a new status.
  const fleet = `SELECT if(number % 5 = 0, 'other', 'default') AS tenant_id, leftPad(lower(hex(cityHash64(number))), 16, '0') AS session_id,
    lower(hex(sipHash128(number))) AS trace_id, concat('agent-', toString(number % 7)) AS agent_name, 'completed' AS status,
    toDateTime64('2025-03-01 00:00:00', 9) + toIntervalSecond(number * 26000) AS started_at, 1 AS version FROM numbers(300)`;
  const insert = `INSERT INTO ${DATABASE}.${TABLES.SESSIONS_DATA} (tenant_id, session_id, trace_id, agent_name, status, started_at, version)`;
  await storage.client.command({ query: `${insert} ${fleet}` });
  await storage.client.command({ query: `${insert} SELECT * REPLACE ('failed' AS status, 2 AS version) FROM (${fleet}) WHERE cityHash64(session_id) % 3 = 0` });
  before = await sessions();
  expect(await migrate(storage.client, all)).toContain(SESSION_KEYS);
});
afterAll(async () => {
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migration 0005 (session keys)', () => {
  it('sorts sessions by tenant, start and id, with a bloom filter on the id, and keeps every session', async () => {
    expect(before).toHaveLength(300);
    expect(await sortingKey()).toBe('tenant_id, started_at, session_id');
    const indexes = await rows<{ name: string; type_full: string }>(
      `SELECT name, type_full FROM system.data_skipping_indices WHERE database = '${DATABASE}' AND table = '${TABLES.SESSIONS_DATA}' ORDER BY name`,
    );
    expect(indexes).toContainEqual({ name: 'idx_session_id', type_full: 'bloom_filter(0.01)' });
    expect(await sessions()).toEqual(before);
    expect(before.filter((s) => s.status === 'failed').every((s) => s.version === '2')).toBe(true);
  });

  it('keeps the table settings and codecs', async () => {
    const [table] = await rows<{ q: string }>(
      `SELECT create_table_query AS q FROM system.tables WHERE database = '${DATABASE}' AND name = '${TABLES.SESSIONS_DATA}'`,
    );
    expect(table?.q).toContain('non_replicated_deduplication_window = 1000');
    expect(table?.q).toContain('min_level_for_wide_part = 1');
    expect(table?.q).toContain('`started_at` DateTime64(9) CODEC(Delta(8), ZSTD(1))');
    expect(table?.q).toContain('PARTITION BY toYYYYMM(started_at)');
  });

  it('runs again after a crash after any of its statements, with the same sessions in the end', async () => {
    const migration = loadMigrations(MIGRATIONS_DIR).find((m) => m.version === SESSION_KEYS);
    const statements = migration?.statements ?? [];
    expect(statements.length).toBeGreaterThan(3);
    for (let crashedAfter = 1; crashedAfter <= statements.length; crashedAfter++) {
      for (const statement of statements.slice(0, crashedAfter)) await storage.client.command({ query: statement });
      // The restart applies the whole migration again.
      for (const statement of statements) await storage.client.command({ query: statement });
      expect(await sortingKey()).toBe('tenant_id, started_at, session_id');
      expect(await sessions()).toEqual(before);
    }
    // No copy is left behind.
    const tables = await rows<{ name: string }>(`SELECT name FROM system.tables WHERE database = '${DATABASE}' AND name LIKE 'agent_sessions%' ORDER BY name`);
    expect(tables.map((t) => t.name)).toEqual([TABLES.SESSIONS, TABLES.SESSIONS_DATA]);
  });
});
