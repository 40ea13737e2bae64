/**
 * `npm run bench`: ingest throughput, ack latency, memory, CPU and loss of the collector.
 *
 * Starts the built collector (`collector/dist/main.js`) on a free loopback port with a fresh
 * embedded data dir, drives it with the load generator in a second process for
 * `BENCH_DURATION_S` (default 30) over `BENCH_CONNECTIONS` (default 8) connections, samples the
 * server's RSS and CPU from /proc, counts the stored rows through the SQL API, stops the server
 * with SIGTERM and prints a report. Exits 1 only when the bench itself broke (server never
 * healthy or died mid-run, generator crashed, rows could not be counted); missed targets are
 * printed as ✗.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  describeExit,
  findFreePort,
  spawnNode,
  stopProcess,
  waitForHealthy,
  withTimeout,
  type ManagedProcess,
} from './child-process.js';
import { assemblyFigures, countStoredSpans, storageVersion, waitForStoredSpans } from './collector-api.js';
import { parseGeneratorMessage, type LoadResult } from './generator-protocol.js';
import { parseIngestBenchConfig, type IngestBenchConfig } from './ingest-config.js';
import { formatIngestReport, type IngestBenchReport } from './ingest-report.js';
import {
  coresBetween,
  createRssSampler,
  markCpu,
  markSystemCpu,
  readProcessMemory,
  type CpuMark,
  type ProcessMemory,
  type RssSamples,
} from './proc-stats.js';
import { meanRate } from './stats.js';
import { runBenchMain } from './bench-main.js';

const HOST = '127.0.0.1';
const SERVER_SCRIPT = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const GENERATOR_SCRIPT = fileURLToPath(new URL('./load-generator.js', import.meta.url));

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function printTail(target: ManagedProcess, lines = 40): void {
  const tail = target.outputTail().trimEnd().split('\n').slice(-lines).join('\n');
  log(`last output of the ${target.name}:\n${tail || '(none)'}`);
}

/** The server's environment: ours, minus external-ClickHouse settings (the bench measures embedded chDB). */
function serverEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('AGENTFLOW_CLICKHOUSE_')) env[key] = value;
  }
  return { ...env, AGENTFLOW_DATA_DIR: dataDir, AGENTFLOW_PORT: String(port), AGENTFLOW_HOST: HOST };
}

/** What was measured while the generator ran. */
interface LoadMeasurement {
  result: LoadResult;
  rss: RssSamples;
  /** At the end of the load (VmHWM is the peak since start); undefined if the server was gone. */
  serverMemory: ProcessMemory | undefined;
  serverCores: number | undefined;
  /** Cores other processes on the machine used meanwhile (not server, generator, or this one). */
  otherCores: number | undefined;
}

/**
 * Runs the generator against `baseUrl` while sampling the server; undefined (after logging why)
 * if the generator broke. CPU is measured from the generator's `started` message to its exit, so
 * neither process's start-up counts.
 */
async function measureLoad(
  config: IngestBenchConfig,
  baseUrl: string,
  server: ManagedProcess,
  children: ManagedProcess[],
): Promise<LoadMeasurement | undefined> {
  let result: LoadResult | undefined;
  let start: { server?: CpuMark; system?: CpuMark; own: NodeJS.CpuUsage } | undefined;
  const sampler = createRssSampler(server.pid, 250);
  sampler.start();
  const generator = spawnNode({
    name: 'load generator',
    script: GENERATOR_SCRIPT,
    args: [
      ...['--url', baseUrl, '--duration-s', String(config.durationS)],
      ...['--connections', String(config.connections), '--batch-size', String(config.batchSize)],
    ],
    env: process.env,
    onStdoutLine: (line) => {
      const message = parseGeneratorMessage(line);
      if (message?.type === 'started') start = { server: markCpu(server.pid), system: markSystemCpu(), own: process.cpuUsage() };
      else if (message?.type === 'result') result = message.result;
    },
  });
  children.push(generator);
  // Generous: start-up, the load, and in-flight requests' own 30 s timeout.
  const exit = await withTimeout(generator.exited, (config.durationS + 90) * 1000);
  const serverEnd = markCpu(server.pid);
  const systemEnd = markSystemCpu();
  const rss = sampler.stop();
  const serverMemory = readProcessMemory(server.pid);
  if (exit === 'timeout') {
    await stopProcess(generator, { signal: 'SIGKILL', timeoutMs: 5_000 });
    log('load generator did not finish in time; killed');
    printTail(generator);
    return undefined;
  }
  if (exit.code !== 0 || result === undefined) {
    log(`load generator failed (${describeExit(exit)}${result === undefined ? ', no result' : ''})`);
    printTail(generator);
    return undefined;
  }
  const serverCores = start?.server && serverEnd ? coresBetween(start.server, serverEnd) : undefined;
  let otherCores: number | undefined;
  if (start?.system && systemEnd && serverCores !== undefined) {
    const own = process.cpuUsage(start.own);
    const wallS = (systemEnd.atMs - start.system.atMs) / 1000;
    const ownCores = wallS > 0 ? (own.user + own.system) / 1e6 / wallS : 0;
    otherCores = Math.max(0, coresBetween(start.system, systemEnd) - serverCores - result.cpuCores - ownCores);
  }
  return { result, rss, serverMemory, serverCores, otherCores };
}

/** Runs the bench; resolves to the process exit code. */
async function runIngestBench(config: IngestBenchConfig): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'agentflow-bench-'));
  const children: ManagedProcess[] = [];
  // Ctrl-C: the children get the terminal's SIGINT too; make sure they are gone and the dir removed.
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const child of children) if (child.exit() === undefined) child.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const port = await findFreePort(HOST);
    const baseUrl = `http://${HOST}:${port}`;
    log(`starting collector on ${baseUrl}, data in ${dataDir}`);
    const server = spawnNode({ name: 'server', script: SERVER_SCRIPT, env: serverEnv(dataDir, port) });
    children.push(server);
    const health = await waitForHealthy(server, `${baseUrl}/health`, { timeoutMs: config.healthTimeoutMs });
    if (!health.ok) {
      log(
        health.reason === 'exited'
          ? `server exited before it was healthy (${describeExit(health.exit)})`
          : `server not healthy within ${config.healthTimeoutMs / 1000} s (${health.lastError})`,
      );
      printTail(server);
      return 1;
    }
    // Counting first also proves the SQL API works before spending the load's time.
    const baseline = await countStoredSpans(baseUrl);
    if (!baseline.ok) {
      log(`cannot count stored spans through the SQL API: ${baseline.error}`);
      printTail(server);
      return 1;
    }
    const version = await storageVersion(baseUrl);
    log(`server healthy in ${(health.elapsedMs / 1000).toFixed(1)} s; sending for ${config.durationS} s over ${config.connections} connections`);

    const load = await measureLoad(config, baseUrl, server, children);
    if (load === undefined) {
      await stopProcess(server, { timeoutMs: config.stopTimeoutMs });
      return 1;
    }
    const { result } = load;
    const diedEarly = server.exit();
    if (diedEarly) {
      log(`server exited during the load (${describeExit(diedEarly)}): the numbers below are not a valid result`);
      printTail(server);
    }
    // Read before the drain: how far trace assembly had got while the load ran.
    const assembly = diedEarly ? undefined : await assemblyFigures(baseUrl);
    log(`load done: ${result.ackedSpans} spans acked; counting stored rows`);
    const stored = diedEarly
      ? ({ ok: false, error: 'server exited during the load' } as const)
      : await waitForStoredSpans(baseUrl, baseline.count + result.ackedSpans);
    log('stopping server (SIGTERM)');
    const shutdown = await stopProcess(server, { timeoutMs: config.stopTimeoutMs });
    if (!diedEarly && (shutdown.forced || shutdown.exit.code !== 0)) printTail(server);

    const storedSpans = stored.ok ? stored.count - baseline.count : undefined;
    const report: IngestBenchReport = {
      cores: availableParallelism(),
      nodeVersion: process.version,
      storage: `embedded chDB${version ? ` (ClickHouse ${version})` : ''}`,
      load: result,
      storedSpans,
      ...(stored.ok ? {} : { storedError: stored.error }),
      sustainedPerS: (storedSpans ?? result.ackedSpans) / result.elapsedS,
      steadyPerS: meanRate(result.ackedPerSecond, config.warmupS, Math.floor(result.durationS)),
      warmupS: config.warmupS,
      server: {
        peakRssBytes: load.serverMemory?.peakRssBytes ?? load.rss.maxRssBytes,
        sampledMaxRssBytes: load.rss.maxRssBytes,
        meanRssBytes: load.rss.meanRssBytes,
        cores: load.serverCores,
      },
      otherCores: load.otherCores,
      assemblyAtLoadEnd: assembly,
      shutdown: diedEarly ? { ...shutdown, exitedEarly: true } : shutdown,
    };
    process.stdout.write(formatIngestReport(report));
    return stored.ok && !diedEarly ? 0 : 1;
  } finally {
    for (const child of children) {
      if (child.exit() === undefined) await stopProcess(child, { signal: 'SIGKILL', timeoutMs: 5_000 });
    }
    await rm(dataDir, { recursive: true, force: true });
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

runBenchMain(parseIngestBenchConfig, runIngestBench, log);
