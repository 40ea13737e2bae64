import type { FastifyInstance } from 'fastify';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { SqlConfig } from '../config.js';
import { AgentflowError, ERROR_CODES } from '../errors.js';
import { withSettings } from '../storage/index.js';
import { checkReadOnly } from './read-only-sql.js';

const SQL_BODY = z.object({ query: z.string().min(1).max(100_000) });

/** Response of `POST /api/v1/sql`. 64-bit integers arrive as strings (ClickHouse's JSON default). */
export interface SqlResponse {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  rowCount: number;
  /** True when the result was cut at the row limit. */
  truncated: boolean;
  elapsedMs: number;
}

/** `POST /api/v1/sql`: one read-only statement, run with `readonly=1` and time/row limits. */
export async function sqlRoute(app: FastifyInstance, opts: { client: ClickHouseClient; sql: SqlConfig }): Promise<void> {
  app.post('/sql', async (request) => {
    const body = SQL_BODY.safeParse(request.body);
    if (!body.success) {
      throw new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, `body must be JSON {"query": "<one read-only statement>"}: ${body.error.issues[0]?.message ?? ''}`);
    }
    const check = checkReadOnly(body.data.query);
    if (!check.ok) throw new AgentflowError(ERROR_CODES.QUERY_REFUSED, 400, check.reason);
    const started = performance.now();
    // One row over the limit tells us the result was cut.
    const limits = { max_execution_time: opts.sql.timeoutSeconds, max_result_rows: opts.sql.maxRows + 1, result_overflow_mode: 'break', readonly: 1 };
    // A SELECT is wrapped so the limits apply to the whole result whatever the query's own shape.
    const query = check.keyword === 'SELECT' || check.keyword === 'WITH'
      ? withSettings(`SELECT * FROM (\n${check.statement}\n)`, limits)
      : withSettings(check.statement, limits);
    try {
      const rs = await opts.client.query({ query, format: 'JSON' });
      const result = await rs.json<Record<string, unknown>>();
      const rows = result.data.slice(0, opts.sql.maxRows);
      const response: SqlResponse = {
        columns: result.meta ?? [],
        rows,
        rowCount: rows.length,
        truncated: result.data.length > opts.sql.maxRows,
        elapsedMs: Math.round(performance.now() - started),
      };
      return response;
    } catch (err) {
      // Errors from ClickHouse here are about the query (syntax, unknown table, limits): the caller's to fix.
      throw new AgentflowError(ERROR_CODES.QUERY_FAILED, 400, (err as Error).message, undefined, { cause: err });
    }
  });
}
