import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { MIGRATIONS_DIR } from '@agentflow/schemas';
import type { Config } from './config.js';
import { buildApp } from './app.js';
import { join } from 'node:path';
import { MODEL_PRICES } from '@agentflow/schemas';
import {
  AGENT_SINKS, ALL_SINKS, ANOMALY_SINK, applyRetention, BatchWriter, deadLetterHandler, loadMigrations, migrate, openStorage, readTraceSpans, Wal, type Storage,
} from './storage/index.js';
import { Assembler, AssemblyThread } from './assembly/index.js';
import { AgentIndex, LiveHub } from './live/index.js';
import { AnomalyHub, costRateOf, createAlertDispatcher, createSettingsFor, LiveDetector, qualityOf, RollupJob, StuckJob } from './processing/index.js';
import { createVersionClock } from './storage/version-clock.js';
import { createPriceBook, createSpanCostResolver, loadPriceOverrides } from './cost/index.js';
import { toCanonicalSpan } from './mapping/index.js';

/** Export bodies the assembly thread may be behind by before exports are refused with 429 (~2 s of full load). */
const ASSEMBLY_MAX_PENDING_BYTES = 64 * 1024 * 1024;

/** A started collector: storage migrated, writer running, app built (not yet listening). */
export interface Collector {
  readonly app: FastifyInstance;
  readonly storage: Storage;
  readonly writer: BatchWriter;
  readonly assembly: AssemblyThread;
  readonly rollups: RollupJob;
  /** Every anomaly found, for the guard; also writes, streams and alerts them. */
  readonly anomalies: AnomalyHub;
  /** Listens on the configured host and port; returns the address. */
  listen(): Promise<string>;
  /** Stops in reverse order of start: HTTP, then processing (assembly, rollups), then the writer (flushing), then storage. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the collector's parts downstream first, so nothing accepts data before the part it hands
 * data to is ready: storage (and migrations) → write-ahead log (replaying what a crash left) →
 * writer → trace assembly → analytics rollups → HTTP app.
 */
export async function startCollector(config: Config, logger: FastifyBaseLogger): Promise<Collector> {
  const storage = openStorage(config.storage);
  try {
    const applied = await migrate(storage.client, loadMigrations(MIGRATIONS_DIR));
    const retention = await applyRetention(storage.client, config.retentionDays);
    logger.info({ storage: storage.location, applied, retentionChanged: retention }, 'storage ready');
  } catch (err) {
    await storage.close();
    throw err;
  }
  const { wal, recovered } = await Wal.open(config.writer.walDir, config.writer.walSegmentBytes);
  const writer = new BatchWriter(storage, wal, config.writer, logger.child({ component: 'writer' }), deadLetterHandler(join(config.writer.walDir, 'dead-letter')));
  if (recovered.records.length + recovered.batches.length > 0) logger.info({ records: recovered.records.length, batches: recovered.batches.length }, 're-inserting what the last run left in the write-ahead log');
  writer.recover(recovered, ALL_SINKS);
  const overrides = config.pricesFile ? await loadPriceOverrides(config.pricesFile) : [];
  const loadSpans = (tenantId: string, traceIds: readonly string[]) => readTraceSpans(storage.client, tenantId, traceIds);
  const assemblyLog = logger.child({ component: 'assembly' });
  const live = new LiveHub();
  const agents = new AgentIndex();
  // Alerts first: every anomaly found from here on may need delivering.
  const alerts = createAlertDispatcher({ log: logger.child({ component: 'alerts' }) }, config.alerts);
  await alerts.start();
  const anomalies = new AnomalyHub({ writer, sink: ANOMALY_SINK, live, agents, listeners: [alerts], log: logger.child({ component: 'anomalies' }) });
  const assembly = new AssemblyThread(
    { writer, sinks: Object.values(AGENT_SINKS), loadSpans, detected: (found) => anomalies.publish(found), log: assemblyLog },
    {
      data: { config: config.assembly, priceOverrides: overrides, detection: { tickMs: config.detection.tickMs, file: config.detection.file } },
      maxPendingBytes: ASSEMBLY_MAX_PENDING_BYTES,
    },
  );
  assembly.start();
  const costOf = createSpanCostResolver(createPriceBook(MODEL_PRICES.entries, overrides));
  const quality = qualityOf(config.detection.file);
  // Rebuilds derive here, where they read their spans; this one never buffers (no start()).
  const rebuilder = new Assembler(
    {
      writer,
      sinks: AGENT_SINKS,
      loadSpans,
      toCanonical: toCanonicalSpan,
      costOf,
      quality,
      log: assemblyLog,
      // A rebuild detects anomalies again from the same spans: same ids, newer versions.
      observer: new LiveDetector({
        costOf, quality, settingsFor: createSettingsFor(config.detection.file), costRate: costRateOf(config.detection.file),
        emit: (found) => anomalies.publish(found), nextVersion: createVersionClock(Date.now), log: assemblyLog,
      }, config.detection.tickMs),
    },
    config.assembly,
  );
  const rollups = new RollupJob({ client: storage.client, log: logger.child({ component: 'rollups' }) }, config.rollup);
  rollups.start();
  const stuck = new StuckJob(
    {
      client: storage.client, publish: (rows) => anomalies.publish({ anomalies: [...rows] }), log: logger.child({ component: 'stuck' }), now: Date.now,
      timedOut: (rows) => void writer.write(AGENT_SINKS.sessions, rows),
    },
    { intervalMs: config.detection.stuckIntervalMs, timedOutAfterMs: config.assembly.timeoutMs },
  );
  stuck.start();
  const app = await buildApp({ config, storage, writer, assembly, rebuilder, live, agents, anomalies, stuck, alerts, logger });
  let stopping: Promise<void> | undefined;
  return {
    app,
    storage,
    writer,
    assembly,
    rollups,
    anomalies,
    listen: () => app.listen({ host: config.host, port: config.port }),
    stop() {
      stopping ??= (async () => {
        // Closing the app first waits for in-flight exports, whose rows the writer then flushes.
        await app.close();
        // Buffered traces are derived now, while the writer still takes their rows.
        await assembly.stop();
        // Read storage and publish through the writer: stopped before both.
        await rollups.stop();
        await stuck.stop();
        // Nothing publishes anomalies any more: what is still to deliver is kept for the next start.
        await alerts.stop(config.shutdownTimeoutMs);
        await writer.stop(config.shutdownTimeoutMs);
        await wal.close();
        await storage.close();
        logger.info({ writer: writer.stats() }, 'collector stopped');
      })();
      return stopping;
    },
  };
}
