import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES } from '@agentflow/schemas';

/** One numbered DDL file: `NNNN_name.sql`. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
  checksum: string;
}

/** Reads the numbered migrations in `dir`, in version order. */
export function loadMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        statements: splitStatements(text),
        checksum: createHash('sha256').update(text).digest('hex').slice(0, 16),
      };
    });
}

/**
 * Splits a DDL file into statements at a `;` that ends a line. Our DDL never has a `;` at a line
 * end inside a string literal; comment-only chunks are dropped.
 */
export function splitStatements(text: string): string[] {
  return text
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim() !== '');
}

/**
 * Creates the database and applies every migration not yet recorded, in order, recording each
 * once applied. Statements are written to be idempotent (`IF NOT EXISTS`), so a crash between a
 * statement and its record is repaired by running the migration again. Returns the versions applied.
 */
export async function migrate(client: ClickHouseClient, migrations: Migration[]): Promise<number[]> {
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${DATABASE}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${DATABASE}.${TABLES.MIGRATIONS}
      (version UInt32, name String, checksum String, applied_at DateTime64(3) DEFAULT now64(3))
      ENGINE = ReplacingMergeTree ORDER BY version`,
  });
  const rs = await client.query({
    query: `SELECT toUInt32(version) AS version FROM ${DATABASE}.${TABLES.MIGRATIONS} FINAL`,
    format: 'JSONEachRow',
  });
  const done = new Set((await rs.json<{ version: number }>()).map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    for (const statement of m.statements) await client.command({ query: statement });
    await client.insert({
      table: `${DATABASE}.${TABLES.MIGRATIONS}`,
      values: [{ version: m.version, name: m.name, checksum: m.checksum }],
      format: 'JSONEachRow',
    });
    applied.push(m.version);
  }
  return applied;
}
