import { mkdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection, type ChdbConnection } from 'chdb/connection';
import type { StorageConfig } from '../config.js';
import { openSpool, writeSpoolFile } from './spool.js';

/**
 * One storage API over two transports. Queries and DDL go through `client`
 * (`@clickhouse/client`, over HTTP or over the in-process chDB connection); the hot insert path
 * goes through `insertNative`, which each transport implements in its cheapest way.
 */
export interface Storage {
  /** Queries and DDL. Never pass `clickhouse_settings` on the embedded transport: see {@link withSettings}. */
  readonly client: ClickHouseClient;
  /** Human description for logs: where the data lives. */
  readonly location: string;
  /**
   * Inserts pre-encoded Native blocks (`parts` concatenated; see native-block.ts) in one insert;
   * resolves once ClickHouse has committed them. `columns` names the blocks' columns, in order.
   * A repeat with the same `dedupToken` within the table's deduplication window is dropped, in the
   * table and in the materialized views fed by it.
   */
  insertNative(table: string, columns: readonly string[], parts: readonly Buffer[], dedupToken: string): Promise<void>;
  /** Closes the client (and the embedded engine's session). Idempotent. */
  close(): Promise<void>;
}

/** Opens the configured transport. The embedded engine's data directory is created if missing. */
export function openStorage(config: StorageConfig): Storage {
  return config.kind === 'embedded' ? openEmbedded(config.dataDir) : openServer(config);
}

/**
 * Renders per-query settings as a `SETTINGS` clause to append to a statement. The embedded
 * connection turns `clickhouse_settings` into `SET` statements, and a `SET` on the shared chDB
 * session outlives the query (a `readonly=1` would block every later insert), so settings
 * always travel inside the statement.
 */
export function withSettings(sql: string, settings: Record<string, SettingValue>): string {
  const parts = Object.entries(settings).map(([k, v]) => {
    if (!/^[a-z_][a-z0-9_]*$/i.test(k)) throw new Error(`invalid setting name ${JSON.stringify(k)}`);
    if (typeof v === 'number') return `${k} = ${v}`;
    if (typeof v === 'string') return `${k} = ${quoteString(v)}`;
    return `${k} = {${Object.entries(v).map(([mk, mv]) => `${quoteString(mk)}: ${quoteString(mv)}`).join(', ')}}`;
  });
  return parts.length === 0 ? sql : `${sql}\nSETTINGS ${parts.join(', ')}`;
}

/**
 * Settings of every hot-path insert. async_insert=0: the writer batches already, and the chDB
 * session default (1) would add a second buffer whose flush timer delays every insert. The token
 * makes a re-insert of the same batch after a crash a no-op (tables set a deduplication window).
 */
function insertSettings(dedupToken: string): Record<string, string | number> {
  return {
    async_insert: 0,
    // Versions of one key inside a batch are left to merges and FINAL; sorting them out at insert
    // time doubled the insert cost of the ReplacingMergeTree agent tables.
    optimize_on_insert: 0,
    insert_deduplicate: 1,
    insert_deduplication_token: dedupToken,
    deduplicate_blocks_in_dependent_materialized_views: 1,
  };
}

/** A setting's value: a number, a string, or a map of strings (`additional_table_filters`). */
export type SettingValue = number | string | Readonly<Record<string, string>>;

function insertPrefix(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.map((c) => `\`${c}\``).join(', ')})`;
}

/** A ClickHouse string literal. */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function openEmbedded(dataDir: string): Storage {
  const path = resolve(dataDir);
  mkdirSync(path, { recursive: true });
  const connection: ChdbConnection = createChdbConnection({ path });
  const client = createClient({ connection } as Parameters<typeof createClient>[0]);
  const spool = openSpool();
  let closed = false;
  return {
    client,
    location: `embedded chDB at ${path}`,
    async insertNative(table, columns, parts, dedupToken) {
      // chDB reads a file cheaper than data inlined in the statement, and Native is not among its
      // raw-insert formats; a tmpfs file costs no disk I/O.
      const file = join(spool.dir, `insert-${randomUUID()}.native`);
      await writeSpoolFile(file, parts, spool.inMemory);
      try {
        // Through file(), not `FROM INFILE … FORMAT Native`: the same blocks cost less than half the
        // engine CPU this way (otel_traces 5.9 vs 12.6 µs per row, chDB 26.7). file() reads
        // columns by position, hence the column list.
        await connection.chdb.queryAsync(
          withSettings(`${insertPrefix(table, columns)} SELECT * FROM file(${quoteString(file)}, Native)`, insertSettings(dedupToken)),
        );
      } finally {
        await rm(file, { force: true });
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
      rmSync(spool.dir, { recursive: true, force: true });
    },
  };
}

function openServer(config: Extract<StorageConfig, { kind: 'server' }>): Storage {
  const client = createClient({
    url: config.url,
    username: config.username,
    password: config.password,
    request_timeout: 60_000,
    compression: { request: false, response: true },
  });
  let closed = false;
  return {
    client,
    location: `ClickHouse server at ${new URL(config.url).origin}`,
    async insertNative(table, columns, parts, dedupToken) {
      const result = await client.exec({
        query: `${insertPrefix(table, columns)} FORMAT Native`,
        values: Readable.from(parts),
        clickhouse_settings: { ...insertSettings(dedupToken), wait_end_of_query: 1 },
      });
      // The body must be drained or the keep-alive socket is never returned to the pool.
      result.stream.resume();
      await new Promise<void>((res, rej) => result.stream.once('end', res).once('error', rej));
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
