import type { SqlResponse } from '../api/index.js';
import { postJson, type ServerTarget } from './http.js';
import { renderTable } from './table.js';

/** `agentflow sql "<query>"`: runs one read-only query on the running server and prints the rows. */
export async function sqlCommand(target: ServerTarget, query: string, json: boolean, out: (text: string) => void): Promise<void> {
  const result = await postJson<SqlResponse>(target, '/api/v1/sql', { query });
  if (json) {
    out(JSON.stringify(result.rows, null, 2));
    return;
  }
  out(renderTable(result.columns.map((c) => c.name), result.rows));
  const suffix = result.truncated ? ' (truncated at the row limit)' : '';
  out(`${result.rowCount} row${result.rowCount === 1 ? '' : 's'} in ${result.elapsedMs} ms${suffix}`);
}
