/**
 * Migration 0009 on a database made by 0001–0008 with actions in it: `quality_issues` is added
 * to the actions table and read through the recreated view ([] for the actions stored before),
 * and the migration can run again (a crash before it was recorded).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE, MIGRATIONS_DIR, TABLES } from '@agentflow/schemas';
import { loadMigrations, migrate, openStorage, type Storage } from '../src/storage/index.js';

const ACTION_QUALITY = 9;
const dir = mkdtempSync(join(tmpdir(), 'agentflow-migration-'));
let storage: Storage;

async function rows<T>(query: string): Promise<T[]> {
  const rs = await storage.client.query({ query, format: 'JSONEachRow' });
  return rs.json<T>();
}

beforeAll(async () => {
  storage = openStorage({ kind: 'embedded', dataDir: dir });
  const all = loadMigrations(MIGRATIONS_DIR);
  await migrate(storage.client, all.filter((m) => m.version < ACTION_QUALITY));
  await storage.client.command({
    query: `INSERT INTO ${DATABASE}.${TABLES.ACTIONS_DATA} (tenant_id, action_id, session_id, action_type, quality_score, started_at, version)
            VALUES ('default', 'a1', 's1', 'llm_call', 0.5, '2026-01-01 00:00:00', 1)`,
  });
  expect(await migrate(storage.client, all)).toContain(ACTION_QUALITY);
});
afterAll(async () => {
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migration 0009 (action quality)', () => {
  it('adds quality_issues, read through the view as [] for actions stored before', async () => {
    expect(await rows(`SELECT action_id, quality_score, quality_issues FROM ${DATABASE}.${TABLES.ACTIONS}`))
      .toEqual([{ action_id: 'a1', quality_score: 0.5, quality_issues: [] }]);
  });

  it('runs again without harm', async () => {
    const [migration] = loadMigrations(MIGRATIONS_DIR).filter((m) => m.version === ACTION_QUALITY);
    for (const statement of migration?.statements ?? []) await storage.client.command({ query: statement });
    await storage.client.command({
      query: `INSERT INTO ${DATABASE}.${TABLES.ACTIONS_DATA} (tenant_id, action_id, session_id, action_type, quality_score, quality_issues, started_at, version)
              VALUES ('default', 'a2', 's1', 'llm_call', 0.25, ['refusal', 'too_short'], '2026-01-01 00:00:01', 1)`,
    });
    expect(await rows(`SELECT action_id, quality_issues FROM ${DATABASE}.${TABLES.ACTIONS} ORDER BY action_id`))
      .toEqual([{ action_id: 'a1', quality_issues: [] }, { action_id: 'a2', quality_issues: ['refusal', 'too_short'] }]);
  });
});
