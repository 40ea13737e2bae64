import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PoisonHandler } from './batch-writer.js';

/**
 * Keeps batches ClickHouse refused for good (say, after a schema change broke a column) as
 * `<dir>/<table>.<token>.native`, so acknowledged rows are set aside for repair, never dropped.
 * They load back with `INSERT INTO <table> FROM INFILE '<file>' FORMAT Native`.
 */
export function deadLetterHandler(dir: string): PoisonHandler {
  return async (table, token, parts) => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${table}.${token}.native`), Buffer.concat(parts));
  };
}
