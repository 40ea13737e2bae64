import { DATABASE, TABLES, TENANT_COLUMNS } from '@agentflow/schemas';
import { quoteString } from '../storage/index.js';

/** Tables without tenant data that are still fine to read. */
const SHARED_TABLES: ReadonlySet<string> = new Set([TABLES.MIGRATIONS]);

/**
 * The tables a statement reads, from its `EXPLAIN AST` text, that it may not: anything outside
 * the agentflow database (`system.*`, `information_schema.*`, other databases) and unknown
 * agentflow tables. Undotted names are CTE references or the session's empty default database.
 */
export function forbiddenTables(ast: string): string[] {
  const found: string[] = [];
  for (const raw of ast.split('\n')) {
    const line = raw.replace(/^"(.*)"$/, '$1');
    const m = /^\s*TableIdentifier (\S+)/.exec(line);
    if (!m || !(m[1] as string).includes('.')) continue;
    const [db, table] = (m[1] as string).split('.', 2) as [string, string];
    const known = db === DATABASE && (Object.hasOwn(TENANT_COLUMNS, table) || SHARED_TABLES.has(table));
    if (!known) found.push(m[1] as string);
  }
  return found;
}

/**
 * `additional_table_filters` that confine a query to one tenant's rows. ClickHouse applies them
 * wherever the named table is read — in subqueries, aliases and inside the views — so a query
 * cannot step around them, however it is written.
 */
export function tenantFilters(tenantId: string): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const [table, column] of Object.entries(TENANT_COLUMNS)) filters[`${DATABASE}.${table}`] = `${column} = ${quoteString(tenantId)}`;
  return filters;
}
