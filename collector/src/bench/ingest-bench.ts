/**
 * `npm run bench`: ingest throughput, ack latency, memory, CPU and loss of the collector.
 *
 * Starts the built collector (`collector/dist/main.js`) on a free loopback port with a fresh
 * embedded data dir, drives it with the load generator in a second process for
 * `BENCH_DURATION_S` (default 30) over `BENCH_CONNECTIONS` (default 8) connections, samples the
 * server's RSS and CPU from /proc, counts the stored rows through the SQL API, stops the server
 * with SIGTERM and prints a report. Exits 1 only when the bench itself broke (server never
 * healthy, generator crashed, rows could not be counted); missed targets are printed as ✗.
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
import { countStoredSpans, storageVersion, waitForStoredSpans } from './collector-api.js';
import { parseGeneratorMessage, type LoadResult } from './generator-protocol.js';
import { formatIngestReport, type IngestBenchReport } from './ingest-report.js';
import { coresBetween, createRssSampler, markCpu, readProcessMemory, type CpuMark } from './proc-stats.js';
import { meanRate } from './stats.js';

/** Settings of one ingest bench run. */
interface IngestBenchConfig {
  durationS: number;
  connections: number;
  batchSize: number;
  /** Seconds excluded from the steady-state rate. */
  warmupS: number;
  healthTimeoutMs: number;
  stopTimeoutMs: number;
}

/** Reads `BENCH_DURATION_S` and `BENCH_CONNECTIONS`; an error message for bad values. */
function parseIngestBenchConfig(env: NodeJS.ProcessEnv): { ok: true; config: IngestBenchConfig } | { ok: false; error: string } {
  const read = (name: string, fallback: number, min: number, max: number): number | string => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    return Number.isFinite(value) && value >= min && value <= max ? value : `${name} must be a number in [${min}, ${max}], got "${raw}"`;
  };
  const durationS = read('BENCH_DURATION_S', 30, 1, 3_600);
  const connections = read('BENCH_CONNECTIONS', 8, 1, 256);
  if (typeof durationS === 'string') return { ok: false, error: durationS };
  if (typeof connections === 'string' || !Number.isInteger(connections)) {
    return { ok: false, error: typeof connections === 'string' ? connections : 'BENCH_CONNECTIONS must be an integer' };
  }
  return { ok: true, config: { durationS, connections, batchSize: 512, warmupS: 5, healthTimeoutMs: 60_000, stopTimeoutMs: 30_000 } };
}

const HOST = '127.0.0.1';
const SERVER_SCRIPT = fileURLToPath(new URL('../main.js', import.meta.url));
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

interface LoadRun {
  result: LoadResult;
  serverCpuStart: CpuMark | undefined;
}

/** Runs the generator against `baseUrl`; undefined (after logging why) if it broke. */
async function runLoad(config: IngestBenchConfig, baseUrl: string, server: ManagedProcess, children: ManagedProcess[]): Promise<LoadRun | undefined> {
  let result: LoadResult | undefined;
  let serverCpuStart: CpuMark | undefined;
  const generator = spawnNode({
    name: 'load generator',
    script: GENERATOR_SCRIPT,
    args: ['--url', baseUrl, '--duration-s', String(config.durationS), '--connections', String(config.connections), '--batch-size', String(config.batchSize)],
    env: process.env,
    onStdoutLine: (line) => {
      const message = parseGeneratorMessage(line);
      // Server CPU is measured over the same window as the load, not the generator's start-up.
      if (message?.type === 'started') serverCpuStart = markCpu(server.pid);
      else if (message?.type === 'result') result = message.result;
    },
  });
  children.push(generator);
  // Generous: the load, in-flight requests' 30 s timeout, and start-up.
  const exit = await withTimeout(generator.exited, (config.durationS + 90) * 1000);
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
  return { result, serverCpuStart };
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
      log(health.reason === 'exited' ? `server exited before it was healthy (${describeExit(health.exit)})` : `server not healthy within ${config.healthTimeoutMs / 1000} s (${health.lastError})`);
      printTail(server);
      return 1;
    }
    const baseline = await countStoredSpans(baseUrl);
    if (!baseline.ok) {
      log(`cannot count stored spans through the SQL API: ${baseline.error}`);
      printTail(server);
      return 1;
    }
    const version = await storageVersion(baseUrl);
    log(`server healthy in ${(health.elapsedMs / 1000).toFixed(1)} s; sending for ${config.durationS} s over ${config.connections} connections`);

    const sampler = createRssSampler(server.pid, 250);
    sampler.start();
    const load = await runLoad(config, baseUrl, server, children);
    const serverCpuEnd = markCpu(server.pid);
    const rss = sampler.stop();
    const memory = readProcessMemory(server.pid);
    if (load === undefined) {
      await stopProcess(server, { timeoutMs: config.stopTimeoutMs });
      return 1;
    }
    const { result } = load;
    log(`load done: ${result.ackedSpans} spans acked; counting stored rows`);
    const stored = await waitForStoredSpans(baseUrl, baseline.count + result.ackedSpans);
    log('stopping server (SIGTERM)');
    const shutdown = await stopProcess(server, { timeoutMs: config.stopTimeoutMs });

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
        peakRssBytes: memory?.peakRssBytes ?? rss.maxRssBytes,
        sampledMaxRssBytes: rss.maxRssBytes,
        meanRssBytes: rss.meanRssBytes,
        cores: load.serverCpuStart && serverCpuEnd ? coresBetween(load.serverCpuStart, serverCpuEnd) : undefined,
      },
      shutdown,
    };
    process.stdout.write(formatIngestReport(report));
    if (shutdown.forced || shutdown.exit.code !== 0) printTail(server);
    return stored.ok ? 0 : 1;
  } finally {
    for (const child of children) {
      if (child.exit() === undefined) await stopProcess(child, { signal: 'SIGKILL', timeoutMs: 5_000 });
    }
    await rm(dataDir, { recursive: true, force: true });
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

async function main(): Promise<number> {
  const parsed = parseIngestBenchConfig(process.env);
  if (!parsed.ok) {
    log(parsed.error);
    return 2;
  }
  return runIngestBench(parsed.config);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
