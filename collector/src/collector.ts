import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { MIGRATIONS_DIR } from '@agentflow/schemas';
import type { Config } from './config.js';
import { buildApp } from './app.js';
import { BatchWriter, loadMigrations, migrate, openStorage, type Storage } from './storage/index.js';

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
 * data to is ready: storage (and migrations) → writer → HTTP app.
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
  const writer = new BatchWriter(storage, config.writer, logger.child({ component: 'writer' }));
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
        await storage.close();
        logger.info({ writer: writer.stats() }, 'collector stopped');
      })();
      return stopping;
    },
  };
}
