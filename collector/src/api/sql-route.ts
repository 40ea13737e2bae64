import type { FastifyInstance } from 'fastify';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { SqlConfig } from '../config.js';
import { AgentflowError, ERROR_CODES } from '../errors.js';
import { withSettings } from '../storage/index.js';
import { checkReadOnly, findTableFunctions } from './read-only-sql.js';
import { forbiddenTables, tenantFilters } from './tenant-sql.js';

export const SQL_BODY = z.object({ query: z.string().min(1).max(100_000) });

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
    await refuseOutsideReads(opts.client, check.statement);
    // One row over the limit tells us the result was cut. 64-bit integers as strings: JSON
    // numbers lose precision past 2^53.
    const limits = {
      max_execution_time: opts.sql.timeoutSeconds,
      max_result_rows: opts.sql.maxRows + 1,
      result_overflow_mode: 'break',
      output_format_json_quote_64bit_integers: 1,
      additional_table_filters: tenantFilters(request.tenantId),
      readonly: 1,
    };
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

/** Refuses table functions and tables outside agentflow's own, found by ClickHouse's own parser. */
async function refuseOutsideReads(client: ClickHouseClient, statement: string): Promise<void> {
  let ast: string;
  try {
    // The client appends `FORMAT …` to the text, which EXPLAIN AST takes as part of the explained
    // statement; a raw text format keeps the answer one AST line per row either way.
    const rs = await client.query({ query: `EXPLAIN AST ${statement}`, format: 'TabSeparatedRaw' });
    ast = await rs.text();
  } catch (err) {
    throw new AgentflowError(ERROR_CODES.QUERY_FAILED, 400, (err as Error).message, undefined, { cause: err });
  }
  const functions = findTableFunctions(ast);
  if (functions.length > 0) {
    throw new AgentflowError(ERROR_CODES.QUERY_REFUSED, 400, `table functions are not allowed: ${functions.join(', ')}; query the agentflow tables`);
  }
  const tables = forbiddenTables(ast);
  if (tables.length > 0) {
    throw new AgentflowError(ERROR_CODES.QUERY_REFUSED, 400, `only agentflow tables can be queried, not ${tables.join(', ')}`);
  }
}
