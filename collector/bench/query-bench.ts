/**
 * `npm run bench`, query part: REST API latency on stored datasets of 1M and 10M spans
 * (`BENCH_QUERY_SIZES`). For each size, in a fresh data dir:
 *
 * 1. a child process generates the dataset straight into the embedded engine with
 *    `INSERT … SELECT FROM numbers()` (query-dataset.ts) — 10M spans through OTLP would take hours;
 * 2. the built collector is started on that dir (free loopback port, no keys: tenant `default`),
 *    and each endpoint is asked sequentially, after a warm-up, while the server's RSS is sampled;
 *    another tenant's sessions must answer 404, analytics must count exactly the tenant's sessions;
 * 3. once the server has stopped, a second child re-runs one request per endpoint on the routes
 *    themselves and reports each SQL statement's rows read and `EXPLAIN indexes = 1`
 *    (query-explain.ts), so a missed target comes with what the query reads.
 *
 * Exits 1 only when the bench itself broke (generation failed, server never healthy or died);
 * missed targets are printed as ✗.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  describeExit, findFreePort, spawnNode, stopProcess, waitForHealthy, withTimeout, type ManagedProcess,
} from './child-process.js';
import { storageVersion } from './collector-api.js';
import { parseQueryBenchConfig, type QueryBenchConfig } from './query-config.js';
import { endpointSpecs } from './query-endpoints.js';
import { probeEndpoint, timedGet, type EndpointLatency } from './query-probe.js';
import { parseResultLine, type ExplainedEndpoint, type GeneratedDataset } from './query-protocol.js';
import { formatSizeReport, formatSummary, type QuerySizeReport } from './query-report.js';
import { coresBetween, createRssSampler, markCpu, markSystemCpu, readProcessMemory } from './proc-stats.js';
import { runBenchMain } from './bench-main.js';

const HOST = '127.0.0.1';
const SERVER_SCRIPT = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const GENERATE_SCRIPT = fileURLToPath(new URL('./query-generate.js', import.meta.url));
const EXPLAIN_SCRIPT = fileURLToPath(new URL('./query-explain.js', import.meta.url));
const SEED = 20_261_121;

function log(message: string): void {
  process.stderr.write(`query-bench: ${message}\n`);
}

/**
 * Waits until the server uses under 0.1 core over a second (background merges, start-up work), at
 * most `maxMs`; returns the seconds waited and the last second's cores.
 */
async function waitForIdle(pid: number, maxMs: number): Promise<{ waitedS: number; serverCores: number | undefined }> {
  const started = performance.now();
  let cores: number | undefined;
  while (performance.now() - started < maxMs) {
    const from = markCpu(pid);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const to = markCpu(pid);
    cores = from && to ? coresBetween(from, to) : undefined;
    if (cores === undefined || cores < 0.1) break;
  }
  return { waitedS: (performance.now() - started) / 1000, serverCores: cores };
}

function printTail(target: ManagedProcess, lines = 30): void {
  const tail = target.outputTail().trimEnd().split('\n').slice(-lines).join('\n');
  log(`last output of the ${target.name}:\n${tail || '(none)'}`);
}

/** Our environment without any agentflow setting (keys, external ClickHouse, retention…), plus the server's own. */
function serverEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AGENTFLOW_')) env[key] = value;
  return { ...env, AGENTFLOW_DATA_DIR: dataDir, AGENTFLOW_PORT: String(port), AGENTFLOW_HOST: HOST, AGENTFLOW_LOG_LEVEL: 'warn' };
}

/** Runs a child script to completion and returns its result line's value; undefined (logged) on failure. */
async function runChild<T>(name: string, script: string, args: string[], timeoutMs: number, children: ManagedProcess[]): Promise<T | undefined> {
  let result: T | undefined;
  const child = spawnNode({
    name, script, args, env: process.env,
    onStdoutLine: (line) => {
      result = parseResultLine<T>(line) ?? result;
    },
  });
  children.push(child);
  const exit = await withTimeout(child.exited, timeoutMs);
  if (exit === 'timeout') {
    await stopProcess(child, { signal: 'SIGKILL', timeoutMs: 5_000 });
    log(`${name} did not finish within ${Math.round(timeoutMs / 1000)} s; killed`);
    printTail(child);
    return undefined;
  }
  if (exit.code !== 0 || result === undefined) {
    log(`${name} failed (${describeExit(exit)}${result === undefined ? ', no result' : ''})`);
    printTail(child);
    return undefined;
  }
  return result;
}

/** The HTTP part: server up on `dataDir`, every endpoint timed, server stopped. Undefined (logged) if the server broke. */
async function measure(
  config: QueryBenchConfig, dataDir: string, dataset: GeneratedDataset, children: ManagedProcess[],
): Promise<Omit<QuerySizeReport, 'targetSpans' | 'dataset'> | undefined> {
  const port = await findFreePort(HOST);
  const baseUrl = `http://${HOST}:${port}`;
  const server = spawnNode({ name: 'server', script: SERVER_SCRIPT, env: serverEnv(dataDir, port) });
  children.push(server);
  try {
    const health = await waitForHealthy(server, `${baseUrl}/health`, { timeoutMs: config.healthTimeoutMs });
    if (!health.ok) {
      log(health.reason === 'exited' ? `server exited before it was healthy (${describeExit(health.exit)})` : `server not healthy (${health.lastError})`);
      printTail(server);
      return undefined;
    }
    const storage = await storageVersion(baseUrl);
    const first = await timedGet(baseUrl, '/api/v1/sessions', config.requestTimeoutMs);
    const cursor = (first.body as { next_cursor?: unknown } | undefined)?.next_cursor;
    if (first.status !== 200 || typeof cursor !== 'string') {
      log(`GET /api/v1/sessions answered ${first.status} without a next_cursor: ${JSON.stringify(first.body).slice(0, 300)}`);
      printTail(server);
      return undefined;
    }
    let notFound = 0;
    for (const id of dataset.otherTenantSessionIds) {
      if ((await timedGet(baseUrl, `/api/v1/sessions/${id}`, config.requestTimeoutMs)).status === 404) notFound++;
    }
    const idle = await waitForIdle(server.pid, config.idleWaitMs);
    const sampler = createRssSampler(server.pid, 250);
    sampler.start();
    const cpuFrom = { server: markCpu(server.pid), system: markSystemCpu(), own: process.cpuUsage() };
    const latencies: EndpointLatency[] = [];
    for (const spec of endpointSpecs({ dataset, cursor })) {
      const analytics = spec.group === 'analytics';
      const latency = await probeEndpoint(baseUrl, spec, {
        warmup: config.warmupRequests,
        requests: analytics ? config.analyticsRequests : config.requests,
        budgetMs: config.endpointBudgetS * 1000,
        timeoutMs: config.requestTimeoutMs,
      });
      latencies.push(latency);
      log(`${spec.name}: n=${latency.requests} p50 ${latency.p50.toFixed(1)} ms p95 ${latency.p95.toFixed(1)} ms`);
      if (server.exit()) break;
    }
    const rss = sampler.stop();
    const cpuTo = { server: markCpu(server.pid), system: markSystemCpu() };
    const serverCores = cpuFrom.server && cpuTo.server ? coresBetween(cpuFrom.server, cpuTo.server) : undefined;
    let otherCores: number | undefined;
    if (cpuFrom.system && cpuTo.system && serverCores !== undefined) {
      const own = process.cpuUsage(cpuFrom.own);
      const wallS = (cpuTo.system.atMs - cpuFrom.system.atMs) / 1000;
      otherCores = Math.max(0, coresBetween(cpuFrom.system, cpuTo.system) - serverCores - (wallS > 0 ? (own.user + own.system) / 1e6 / wallS : 0));
    }
    const memory = readProcessMemory(server.pid);
    const died = server.exit();
    if (died) {
      log(`server exited during the run (${describeExit(died)})`);
      printTail(server);
      return undefined;
    }
    return {
      serverHealthyS: health.elapsedMs / 1000, idle, serverCores, otherCores, latencies, isolation: { asked: dataset.otherTenantSessionIds.length, notFound },
      peakRssBytes: memory?.peakRssBytes, sampledMaxRssBytes: rss.maxRssBytes, storage: `embedded chDB${storage ? ` (ClickHouse ${storage})` : ''}`,
    };
  } finally {
    const stop = await stopProcess(server, { timeoutMs: config.stopTimeoutMs });
    if (stop.forced) log('server ignored SIGTERM; killed');
  }
}

/** One dataset end to end; undefined when the bench broke on it. */
async function runSize(config: QueryBenchConfig, spans: number, children: ManagedProcess[], dataDir: string): Promise<QuerySizeReport | undefined> {
  log(`generating ${spans.toLocaleString('en-US')} spans in ${dataDir}`);
  // Generation runs at ~70k spans/s on 2 cores; allow 4× that, plus the merge wait.
  const generateTimeoutMs = 120_000 + (spans / 20_000) * 1000 + config.mergeWaitS * 1000;
  const dataset = await runChild<GeneratedDataset>('generator', GENERATE_SCRIPT,
    ['--dir', dataDir, '--spans', String(spans), '--seed', String(SEED), '--merge-s', String(config.mergeWaitS)], generateTimeoutMs, children);
  if (!dataset) return undefined;
  log(`generated ${dataset.spans.toLocaleString('en-US')} spans in ${dataset.totalSeconds.toFixed(1)} s; starting the collector`);
  const measured = await measure(config, dataDir, dataset, children);
  if (!measured) return undefined;
  const report: QuerySizeReport = { targetSpans: spans, dataset, ...measured };
  if (config.explain) {
    log('explaining each endpoint\'s statements');
    const specs = endpointSpecs({ dataset, cursor: '' });
    // Page 2's cursor came from the stopped server; its statement is page 1's plus a started_at bound, so it is left out.
    const requests = specs.filter((s) => !s.name.includes('cursor')).map((s) => ({ endpoint: s.name, path: s.path(0) }));
    const explained = await runChild<ExplainedEndpoint[]>('explainer', EXPLAIN_SCRIPT,
      ['--dir', dataDir, '--requests', JSON.stringify(requests)], 600_000, children);
    if (explained) report.explained = explained;
    else report.explainError = 'the explain step failed (see above)';
  }
  return report;
}

async function runQueryBench(config: QueryBenchConfig): Promise<number> {
  const children: ManagedProcess[] = [];
  const dirs: string[] = [];
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const child of children) if (child.exit() === undefined) child.child.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = performance.now();
  const reports: QuerySizeReport[] = [];
  let broken = false;
  process.stdout.write(`agentflow query bench — ${availableParallelism()} cores, node ${process.version}; sequential requests after a warm-up, ` +
    `up to ${config.requests} per list/detail endpoint and ${config.analyticsRequests} per analytics endpoint, ${config.endpointBudgetS} s each at most\n`);
  try {
    for (const spans of config.sizes) {
      const dir = await mkdtemp(join(tmpdir(), 'agentflow-query-bench-'));
      dirs.push(dir);
      try {
        const report = await runSize(config, spans, children, dir);
        if (!report) {
          broken = true;
          break;
        }
        reports.push(report);
        process.stdout.write(formatSizeReport(report));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    process.stdout.write(formatSummary(reports));
    process.stdout.write(`query bench took ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    return broken ? 1 : 0;
  } finally {
    for (const child of children) if (child.exit() === undefined) await stopProcess(child, { signal: 'SIGKILL', timeoutMs: 5_000 });
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

runBenchMain(parseQueryBenchConfig, runQueryBench, log);
