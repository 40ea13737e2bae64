import { join } from 'node:path';
import { z } from 'zod';
import { loadKeys, type KeyTable } from './auth/index.js';
import { loadAlertRules, loadDetectionFile, type AlertRule, type DetectionFile, type RollupSettings } from './processing/index.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

/**
 * Every setting the collector reads, with its environment variable and default. This is the only
 * place that reads `process.env`; components receive their slice of the parsed config.
 */
const ENV_SCHEMA = z.object({
  AGENTFLOW_HOST: z.string().min(1).default('127.0.0.1'),
  AGENTFLOW_PORT: port.default(4318),
  AGENTFLOW_DATA_DIR: z.string().min(1).default('./data'),
  AGENTFLOW_CLICKHOUSE_URL: z.url().optional(),
  AGENTFLOW_CLICKHOUSE_USER: z.string().default('default'),
  AGENTFLOW_CLICKHOUSE_PASSWORD: z.string().default(''),
  AGENTFLOW_WAL_DIR: z.string().min(1).optional(),
  AGENTFLOW_WAL_SEGMENT_BYTES: positiveInt.default(64 * 1024 * 1024),
  AGENTFLOW_API_KEYS: z.string().optional(),
  AGENTFLOW_KEYS_FILE: z.string().min(1).optional(),
  AGENTFLOW_ALLOW_OPEN: z.enum(['true', 'false']).default('false'),
  AGENTFLOW_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AGENTFLOW_MAX_BODY_BYTES: positiveInt.default(16 * 1024 * 1024),
  // Large batches make large parts: with assembly on, merging small parts took a fifth of the
  // CPU at full load (25k/50k against 8k/20k: merge threads 0.45 -> 0.25 cores, ingest +15%).
  AGENTFLOW_WRITER_BATCH_ROWS: positiveInt.default(50_000),
  AGENTFLOW_WRITER_MIN_BATCH_ROWS: positiveInt.default(25_000),
  AGENTFLOW_WRITER_FLUSH_MS: positiveInt.default(500),
  AGENTFLOW_WRITER_CONCURRENCY: positiveInt.default(2),
  AGENTFLOW_WRITER_MAX_QUEUE_ROWS: positiveInt.default(200_000),
  AGENTFLOW_WRITER_MAX_QUEUE_BYTES: positiveInt.default(256 * 1024 * 1024),
  AGENTFLOW_WRITER_MAX_RETRIES: z.coerce.number().int().min(0).default(5),
  AGENTFLOW_ASSEMBLY_QUIET_MS: positiveInt.default(2_000),
  AGENTFLOW_ASSEMBLY_TIMEOUT_MS: positiveInt.default(300_000),
  AGENTFLOW_ASSEMBLY_MAX_TRACES: positiveInt.default(50_000),
  AGENTFLOW_ASSEMBLY_MAX_SPANS: positiveInt.default(1_000_000),
  AGENTFLOW_ASSEMBLY_TICK_MS: positiveInt.default(250),
  AGENTFLOW_ROLLUP_INTERVAL_MS: positiveInt.default(60_000),
  AGENTFLOW_ROLLUP_GRACE_MS: positiveInt.default(120_000),
  AGENTFLOW_PRICES_FILE: z.string().min(1).optional(),
  AGENTFLOW_DETECTION_FILE: z.string().min(1).optional(),
  AGENTFLOW_DETECT_TICK_MS: positiveInt.default(250),
  AGENTFLOW_STUCK_INTERVAL_MS: positiveInt.default(15_000),
  AGENTFLOW_ALERTS_FILE: z.string().min(1).optional(),
  AGENTFLOW_PUBLIC_URL: z.url().optional(),
  AGENTFLOW_RETENTION_RAW_DAYS: z.coerce.number().int().min(0).default(30),
  AGENTFLOW_RETENTION_DERIVED_DAYS: z.coerce.number().int().min(0).default(180),
  AGENTFLOW_SQL_MAX_ROWS: positiveInt.default(10_000),
  AGENTFLOW_SQL_TIMEOUT_S: positiveInt.default(30),
  AGENTFLOW_SHUTDOWN_TIMEOUT_MS: positiveInt.default(30_000),
});

/** Where raw and derived data live: the embedded engine's directory, or a ClickHouse server. */
export type StorageConfig =
  | { kind: 'embedded'; dataDir: string }
  | { kind: 'server'; url: string; username: string; password: string };

/** The batching writer's limits: every queue is bounded by rows and bytes. */
export interface WriterConfig {
  /** Seal a batch once it holds this many rows. */
  batchRows: number;
  /** Seal a batch of at least this many rows as soon as an insert slot is free. */
  minBatchRows: number;
  /** Seal a non-empty batch this long after its first row arrived, ms. */
  flushMs: number;
  /** Inserts in flight at once. */
  concurrency: number;
  /** Rows accepted but not yet committed, beyond which exports are refused with 429. */
  maxQueueRows: number;
  /** Encoded bytes accepted but not yet committed, beyond which exports are refused with 429. */
  maxQueueBytes: number;
  /** Consecutive failed inserts after which storage counts as down (a full queue then answers 503, not 429). */
  maxRetries: number;
  /** Directory of the write-ahead log. */
  walDir: string;
  /** Size at which a WAL segment file is closed and a new one begun, bytes. */
  walSegmentBytes: number;
}

/** When buffered traces are derived into agent records, and how much the buffer may hold. */
export interface AssemblySettings {
  /** A trace whose root span arrived is derived after this long without new spans, ms. */
  quietMs: number;
  /** A trace is derived this long after its first span, ended or not, ms. */
  timeoutMs: number;
  /** Open traces held at most; past it the oldest are derived early. */
  maxTraces: number;
  /** Spans held at most over all open traces. */
  maxSpans: number;
  /** How often settled traces are looked for, ms. */
  tickMs: number;
}

/** Live detection of loops and broken budgets, on the assembly thread. */
export interface DetectionConfig {
  /** How often traces that got spans are looked at, ms: an anomaly shows this long after the export that completed it, at most. */
  tickMs: number;
  /** Thresholds and budgets per tenant, agent type and workflow (AGENTFLOW_DETECTION_FILE); built-in defaults when absent. */
  file: DetectionFile | undefined;
  /** How often the stuck detector looks for stale, orphaned and open-too-long sessions and spans, ms. */
  stuckIntervalMs: number;
}

/** Alert delivery: rules from AGENTFLOW_ALERTS_FILE, and where pending deliveries are kept. */
export interface AlertsConfig {
  rules: AlertRule[];
  /** Journal of pending deliveries and last-sent times, so both survive a restart. */
  stateDir: string;
  /** The base URL alerts link sessions under (`${publicBaseUrl}/api/v1/sessions/<id>`). */
  publicBaseUrl: string;
}

/** Limits of the read-only SQL endpoint. */
export interface SqlConfig {
  maxRows: number;
  timeoutSeconds: number;
}

/** The whole collector configuration. */
export interface Config {
  host: string;
  port: number;
  /** Keys mapped to tenants and roles; empty means the server runs open. */
  keys: KeyTable;
  /** Run open (no keys) on a non-loopback address anyway. */
  allowOpen: boolean;
  logLevel: z.infer<typeof ENV_SCHEMA>['AGENTFLOW_LOG_LEVEL'];
  /** Largest OTLP body accepted, in bytes, before and after gunzip. */
  maxBodyBytes: number;
  shutdownTimeoutMs: number;
  storage: StorageConfig;
  writer: WriterConfig;
  assembly: AssemblySettings;
  /** When closed hours are rolled up for analytics. */
  rollup: RollupSettings;
  /** Days rows are kept (raw spans and logs; derived agent records); 0 keeps them forever. */
  retentionDays: { raw: number; derived: number };
  /** A JSON file of price entries that override the built-in model price table. */
  pricesFile: string | undefined;
  detection: DetectionConfig;
  alerts: AlertsConfig;
  sql: SqlConfig;
}

/** Outcome of reading the configuration: the config, or every problem with the setting it names. */
export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** Parses the configuration from environment variables (`process.env` in `main`, plain objects in tests). */
export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  // An empty variable means "not set", the way shells and compose files usually intend it.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ENV_SCHEMA.safeParse(present);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  }
  const e = parsed.data;
  const keys = loadKeys(e.AGENTFLOW_API_KEYS, e.AGENTFLOW_KEYS_FILE);
  if (!keys.ok) return { ok: false, errors: keys.errors };
  const detectionFile = e.AGENTFLOW_DETECTION_FILE === undefined ? undefined : loadDetectionFile(e.AGENTFLOW_DETECTION_FILE);
  if (detectionFile && !detectionFile.ok) return { ok: false, errors: detectionFile.errors.map((m) => `AGENTFLOW_DETECTION_FILE: ${m}`) };
  const alertRules = e.AGENTFLOW_ALERTS_FILE === undefined ? { ok: true as const, rules: [] } : loadAlertRules(e.AGENTFLOW_ALERTS_FILE);
  if (!alertRules.ok) return { ok: false, errors: alertRules.errors.map((m) => `AGENTFLOW_ALERTS_FILE: ${m}`) };
  const allowOpen = e.AGENTFLOW_ALLOW_OPEN === 'true';
  if (keys.keys.size === 0 && !allowOpen && !isLoopback(e.AGENTFLOW_HOST)) {
    return {
      ok: false,
      errors: [`AGENTFLOW_HOST: ${e.AGENTFLOW_HOST} is not a loopback address and no API keys are configured; set AGENTFLOW_API_KEYS or AGENTFLOW_KEYS_FILE, or AGENTFLOW_ALLOW_OPEN=true to serve every tenant's data without authentication`],
    };
  }
  return {
    ok: true,
    config: {
      host: e.AGENTFLOW_HOST,
      port: e.AGENTFLOW_PORT,
      keys: keys.keys,
      allowOpen,
      logLevel: e.AGENTFLOW_LOG_LEVEL,
      maxBodyBytes: e.AGENTFLOW_MAX_BODY_BYTES,
      shutdownTimeoutMs: e.AGENTFLOW_SHUTDOWN_TIMEOUT_MS,
      storage: e.AGENTFLOW_CLICKHOUSE_URL
        ? {
            kind: 'server',
            url: e.AGENTFLOW_CLICKHOUSE_URL,
            username: e.AGENTFLOW_CLICKHOUSE_USER,
            password: e.AGENTFLOW_CLICKHOUSE_PASSWORD,
          }
        : { kind: 'embedded', dataDir: e.AGENTFLOW_DATA_DIR },
      writer: {
        batchRows: e.AGENTFLOW_WRITER_BATCH_ROWS,
        minBatchRows: e.AGENTFLOW_WRITER_MIN_BATCH_ROWS,
        flushMs: e.AGENTFLOW_WRITER_FLUSH_MS,
        concurrency: e.AGENTFLOW_WRITER_CONCURRENCY,
        maxQueueRows: e.AGENTFLOW_WRITER_MAX_QUEUE_ROWS,
        maxQueueBytes: e.AGENTFLOW_WRITER_MAX_QUEUE_BYTES,
        maxRetries: e.AGENTFLOW_WRITER_MAX_RETRIES,
        walDir: e.AGENTFLOW_WAL_DIR ?? join(e.AGENTFLOW_DATA_DIR, 'wal'),
        walSegmentBytes: e.AGENTFLOW_WAL_SEGMENT_BYTES,
      },
      assembly: {
        quietMs: e.AGENTFLOW_ASSEMBLY_QUIET_MS,
        timeoutMs: e.AGENTFLOW_ASSEMBLY_TIMEOUT_MS,
        maxTraces: e.AGENTFLOW_ASSEMBLY_MAX_TRACES,
        maxSpans: e.AGENTFLOW_ASSEMBLY_MAX_SPANS,
        tickMs: e.AGENTFLOW_ASSEMBLY_TICK_MS,
      },
      rollup: {
        intervalMs: e.AGENTFLOW_ROLLUP_INTERVAL_MS,
        // A trace is derived at the latest its timeout after its first span; its rows are then
        // committed within the grace.
        settleMs: e.AGENTFLOW_ASSEMBLY_TIMEOUT_MS + e.AGENTFLOW_ROLLUP_GRACE_MS,
        graceMs: e.AGENTFLOW_ROLLUP_GRACE_MS,
      },
      pricesFile: e.AGENTFLOW_PRICES_FILE,
      alerts: {
        rules: alertRules.rules,
        stateDir: join(e.AGENTFLOW_DATA_DIR, 'alerts'),
        publicBaseUrl: (e.AGENTFLOW_PUBLIC_URL ?? `http://${e.AGENTFLOW_HOST.includes(':') ? `[${e.AGENTFLOW_HOST}]` : e.AGENTFLOW_HOST}:${e.AGENTFLOW_PORT}`).replace(/\/+$/, ''),
      },
      detection: { tickMs: e.AGENTFLOW_DETECT_TICK_MS, file: detectionFile?.value, stuckIntervalMs: e.AGENTFLOW_STUCK_INTERVAL_MS },
      retentionDays: { raw: e.AGENTFLOW_RETENTION_RAW_DAYS, derived: e.AGENTFLOW_RETENTION_DERIVED_DAYS },
      sql: { maxRows: e.AGENTFLOW_SQL_MAX_ROWS, timeoutSeconds: e.AGENTFLOW_SQL_TIMEOUT_S },
    },
  };
}

/** Loopback names and addresses: an open server may listen only there. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
