/**
 * Child process of the query bench: what each endpoint asks the storage, statement by statement.
 * Opens the (stopped) server's data dir, mounts the real session and analytics routes on an app
 * whose storage client records every statement it is given, injects one request per endpoint,
 * then runs each recorded statement again alone (FORMAT JSON, for ClickHouse's own elapsed time
 * and rows/bytes read) and under `EXPLAIN indexes = 1`. The SQL is the routes' own, never a copy.
 * Prints the result as one line (see query-protocol.ts).
 *
 *   node query-explain.js --dir <data dir> --requests '[{"endpoint": "...", "path": "/api/v1/..."}]'
 */
import { parseArgs } from 'node:util';
import type { ClickHouseClient, QueryParams } from '@clickhouse/client';
import Fastify from 'fastify';
import { analyticsRoutes } from '../dist/api/analytics/index.js';
import { sessionRoutes } from '../dist/api/sessions/index.js';
import { installAuth } from '../dist/auth/index.js';
import { openStorage } from '../dist/storage/index.js';
import { formatResultLine, type ExplainedEndpoint, type ExplainedStatement } from './query-protocol.js';

interface Recorded {
  query: string;
  params: Record<string, unknown>;
}

function log(message: string): void {
  process.stderr.write(`query-explain: ${message}\n`);
}

/** A client that records each statement before running it on `client`. The routes only call `query`. */
function recordingClient(client: ClickHouseClient, into: Recorded[]): ClickHouseClient {
  const query = (params: QueryParams) => {
    into.push({ query: params.query, params: (params.query_params ?? {}) as Record<string, unknown> });
    return client.query(params as never);
  };
  return { query } as unknown as ClickHouseClient;
}

/** The statement's first meaningful line, whitespace collapsed, at most 110 characters. */
function summarize(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  const from = /\bFROM\s+([\w.]+)/i.exec(text)?.[1] ?? '';
  const head = text.slice(0, 80);
  return `${head}${text.length > 80 ? '…' : ''}${from ? ` [${from}]` : ''}`;
}

async function explainStatement(client: ClickHouseClient, recorded: Recorded): Promise<ExplainedStatement> {
  const { query, params } = recorded;
  const out: ExplainedStatement = { summary: summarize(query), sql: query, params, elapsedMs: Number.NaN, rowsRead: 0, bytesRead: 0, plan: '' };
  try {
    const rs = await client.query({ query, format: 'JSON', query_params: params });
    const body = await rs.json<{ statistics?: { elapsed?: number; rows_read?: number; bytes_read?: number } }>();
    out.elapsedMs = (body.statistics?.elapsed ?? Number.NaN) * 1000;
    out.rowsRead = Number(body.statistics?.rows_read ?? 0);
    out.bytesRead = Number(body.statistics?.bytes_read ?? 0);
  } catch (error) {
    out.plan = `run failed: ${error instanceof Error ? error.message : String(error)}\n`;
  }
  try {
    const rs = await client.query({ query: `EXPLAIN indexes = 1 ${query}`, format: 'TabSeparatedRaw', query_params: params });
    out.plan += await rs.text();
  } catch (error) {
    out.plan += `EXPLAIN failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return out;
}

async function explainEndpoints(dir: string, requests: { endpoint: string; path: string }[]): Promise<ExplainedEndpoint[]> {
  const storage = openStorage({ kind: 'embedded', dataDir: dir });
  const recorded: Recorded[] = [];
  const app = Fastify({ logger: false });
  try {
    // No keys: every request is the default tenant's, as on the bench's server.
    installAuth(app, { keys: new Map() });
    const client = recordingClient(storage.client, recorded);
    await app.register(sessionRoutes, { prefix: '/api/v1', client });
    await app.register(analyticsRoutes, { prefix: '/api/v1', client });
    const out: ExplainedEndpoint[] = [];
    for (const { endpoint, path } of requests) {
      recorded.length = 0;
      const response = await app.inject({ method: 'GET', url: path });
      const statements: ExplainedStatement[] = [];
      for (const r of [...recorded]) statements.push(await explainStatement(storage.client, r));
      out.push({ endpoint, path, status: response.statusCode, statements });
      log(`${endpoint}: ${statements.length} statements`);
    }
    return out;
  } finally {
    await app.close();
    await storage.close();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, requests: { type: 'string' } } });
  let requests: { endpoint: string; path: string }[] | undefined;
  try {
    requests = JSON.parse(values.requests ?? '') as { endpoint: string; path: string }[];
  } catch {
    requests = undefined;
  }
  if (!values.dir || !Array.isArray(requests)) {
    log('usage: query-explain --dir <data dir> --requests <JSON [{endpoint, path}]>');
    return 2;
  }
  process.stdout.write(`${formatResultLine(await explainEndpoints(values.dir, requests))}\n`);
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
