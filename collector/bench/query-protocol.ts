/**
 * What the query bench's child processes (dataset generator, statement explainer) print: one JSON
 * line starting with a marker, which the orchestrator picks out of the rest of their output.
 */

const MARKER = 'QUERY-BENCH-RESULT ';

/** Rows of one table, by tenant. */
export interface TableCount {
  table: string;
  /** Rows of the bench tenant, of the other tenant, and active parts (all tenants). */
  tenantRows: number;
  otherRows: number;
  parts: number;
}

/** What the generator made. */
export interface GeneratedDataset {
  spans: number;
  sessions: number;
  tables: TableCount[];
  /** Seconds per statement, and in total (migrations included). */
  steps: { name: string; seconds: number }[];
  totalSeconds: number;
  /** Seconds spent waiting for background merges (0 when not asked to), and merges still running at the end. */
  mergeWaitSeconds: number;
  mergesRunning: number;
  /** The rollup job's backfill after the merge wait: tenant-hours rolled up, and the seconds it took. */
  rollups: { hours: number; seconds: number };
  /** Bytes on disk of the data dir's active parts. */
  bytesOnDisk: number;
  /** Start of the generated window (7 days before generation), ISO. */
  windowFrom: string;
  /** Random sessions of the bench tenant (roots and sub-agents) and of the other tenant. */
  sampleSessionIds: string[];
  otherTenantSessionIds: string[];
  /** Agent names, busiest first, with their session counts in the bench tenant. */
  agents: { name: string; sessions: number }[];
}

/** One statement an endpoint ran, measured again in isolation. */
export interface ExplainedStatement {
  /** The statement's first line, shortened. */
  summary: string;
  sql: string;
  /** The statement's bound parameters. */
  params: Record<string, unknown>;
  elapsedMs: number;
  rowsRead: number;
  bytesRead: number;
  /** `EXPLAIN indexes = 1` text, or why it failed. */
  plan: string;
}

/** The statements behind one endpoint request. */
export interface ExplainedEndpoint {
  endpoint: string;
  path: string;
  status: number;
  statements: ExplainedStatement[];
}

/** Formats a child's result line. */
export function formatResultLine(value: unknown): string {
  return `${MARKER}${JSON.stringify(value)}`;
}

/** The value of a result line; undefined for any other line. */
export function parseResultLine<T>(line: string): T | undefined {
  if (!line.startsWith(MARKER)) return undefined;
  try {
    return JSON.parse(line.slice(MARKER.length)) as T;
  } catch {
    return undefined;
  }
}
