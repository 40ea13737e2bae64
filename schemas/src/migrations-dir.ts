import { fileURLToPath } from 'node:url';

/** Absolute path of the numbered DDL migrations (`schemas/sql/NNNN_name.sql`) shipped with this package. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../sql/', import.meta.url));
