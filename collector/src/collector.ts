import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { MIGRATIONS_DIR } from '@agentflow/schemas';
import type { Config } from './config.js';
import { buildApp } from './app.js';
import { join } from 'node:path';
import { ALL_SINKS, BatchWriter, deadLetterHandler, loadMigrations, migrate, openStorage, Wal, type Storage } from './storage/index.js';

/** A started collector: storage migrated, writer running, app built (not yet listening). */
export interface Collector {
  readonly app: FastifyInstance;
  readonly storage: Storage;
  readonly writer: BatchWriter;
  /** Listens on the configured host and port; returns the address. */
  listen(): Promise<string>;
  /** Stops in reverse order of start: HTTP, then the writer (flushing), then storage. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the collector's parts downstream first, so nothing accepts data before the part it hands
 * data to is ready: storage (and migrations) → write-ahead log (replaying what a crash left) →
 * writer → HTTP app.
 */
export async function startCollector(config: Config, logger: FastifyBaseLogger): Promise<Collector> {
  const storage = openStorage(config.storage);
  try {
    const applied = await migrate(storage.client, loadMigrations(MIGRATIONS_DIR));
    logger.info({ storage: storage.location, applied }, 'storage ready');
  } catch (err) {
    await storage.close();
    throw err;
  }
  const { wal, recovered } = await Wal.open(config.writer.walDir, config.writer.walSegmentBytes);
  const writer = new BatchWriter(storage, wal, config.writer, logger.child({ component: 'writer' }), deadLetterHandler(join(config.writer.walDir, 'dead-letter')));
  if (recovered.records.length + recovered.batches.length > 0) logger.info({ records: recovered.records.length, batches: recovered.batches.length }, 're-inserting what the last run left in the write-ahead log');
  writer.recover(recovered, ALL_SINKS);
  const app = await buildApp({ config, storage, writer, logger });
  let stopping: Promise<void> | undefined;
  return {
    app,
    storage,
    writer,
    listen: () => app.listen({ host: config.host, port: config.port }),
    stop() {
      stopping ??= (async () => {
        // Closing the app first waits for in-flight exports, whose rows the writer then flushes.
        await app.close();
        await writer.stop(config.shutdownTimeoutMs);
        await wal.close();
        await storage.close();
        logger.info({ writer: writer.stats() }, 'collector stopped');
      })();
      return stopping;
    },
  };
}
