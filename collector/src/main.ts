#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { parseConfig } from './config.js';
import { startCollector } from './collector.js';
import { OPENAI_TRACES_PATH } from './receiver/otlp-routes.js';

/** Runs the collector until SIGTERM or SIGINT, then shuts down in order with nothing acknowledged lost. */
export async function main(env: Record<string, string | undefined>): Promise<number> {
  const parsed = parseConfig(env);
  if (!parsed.ok) {
    process.stderr.write(`agentflow: invalid configuration\n${parsed.errors.map((e) => `  ${e}`).join('\n')}\n`);
    return 2;
  }
  const { config } = parsed;
  const logger = pino({ level: config.logLevel, base: { service: 'agentflow' } });
  const collector = await startCollector(config, logger);
  const address = await collector.listen();
  logger.info(
    { address, storage: collector.storage.location, otlpTraces: `${address}/v1/traces`, otlpLogs: `${address}/v1/logs`, openaiAgentsTraces: `${address}${OPENAI_TRACES_PATH}` },
    `agentflow listening: point OTLP/HTTP exporters at OTEL_EXPORTER_OTLP_ENDPOINT=${address}`,
  );
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  await collector.stop();
  return 0;
}

// Only when run as a program, not when imported (the CLI's `serve` imports main).
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.env).then(
    (code) => process.exit(code),
    (err: unknown) => {
      // Our own errors (a bad price file, say) explain themselves; anything else needs its stack.
      const code = (err as { code?: unknown } | null)?.code;
      const ours = err instanceof Error && typeof code === 'string' && code.startsWith('AF_');
      process.stderr.write(`agentflow: failed to start: ${ours ? (err as Error).message : err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exit(ours ? 2 : 1);
    },
  );
}
