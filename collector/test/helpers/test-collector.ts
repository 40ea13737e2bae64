import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseConfig, type Config } from '../../src/config.js';
import { startCollector, type Collector } from '../../src/collector.js';

/** A collector on the real embedded engine in a fresh temporary data directory. */
export interface TestCollector {
  collector: Collector;
  config: Config;
  /** Base URL once {@link listen} was called (an ephemeral loopback port). */
  url: string;
  /** Listens on 127.0.0.1 and an ephemeral port, for clients that need a real socket. */
  listen(): Promise<string>;
  /** Runs a query on the collector's storage, after every acknowledged row is inserted; returns JSONEachRow rows. */
  query<T = Record<string, unknown>>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  /** Stops the collector and removes its data directory. */
  stop(): Promise<void>;
}

/** Starts a collector for a test; `env` overrides AGENTFLOW_* settings. */
export async function startTestCollector(env: Record<string, string> = {}): Promise<TestCollector> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentflow-test-'));
  const parsed = parseConfig({ AGENTFLOW_DATA_DIR: dataDir, AGENTFLOW_PORT: '0', AGENTFLOW_LOG_LEVEL: 'silent', ...env });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const logger = pino({ level: parsed.config.logLevel });
  const collector = await startCollector(parsed.config, logger);
  const t: TestCollector = {
    collector,
    config: parsed.config,
    url: '',
    async listen() {
      await collector.listen();
      const address = collector.app.server.address();
      if (address === null || typeof address === 'string') throw new Error('not listening on a TCP port');
      t.url = `http://127.0.0.1:${address.port}`;
      return t.url;
    },
    async query<T>(sql: string, params?: Record<string, unknown>) {
      // An export is acknowledged once it is in the write-ahead log; inserting may lag behind,
      // and assembly derives agent records once a trace settles: finish both first.
      await collector.writer.flush();
      await collector.assembly.settleAll();
      await collector.writer.flush();
      const rs = await collector.storage.client.query({ query: sql, format: 'JSONEachRow', query_params: params });
      return rs.json<T>();
    },
    async stop() {
      await collector.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
