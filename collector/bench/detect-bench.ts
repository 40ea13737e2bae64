/**
 * Live detection's costs, in two parts:
 *
 * - **Detector CPU per span**: the ingest bench's agent traces (decoded and mapped as the
 *   assembly thread does) run through `detectTrace` — once as a trace still running (its root
 *   left out, as while the agent works) and once as settled, right after derivation as assembly
 *   runs it — timed over every span.
 * - **Guard latency**: a collector (embedded store, temporary directory) is given `BENCH_GUARD_SESSIONS`
 *   open sessions stuck in a tool loop; then `POST /api/v1/guard` is asked `BENCH_GUARD_REQUESTS`
 *   times over HTTP, one at a time: for watched sessions (answered from memory, target p99 < 20 ms)
 *   and for sessions it does not hold (answered from storage).
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { MODEL_PRICES, type SpanRow } from '@agentflow/schemas';
import { parseConfig } from '../dist/config.js';
import { startCollector } from '../dist/collector.js';
import { createPriceBook, createSpanCostResolver } from '../dist/cost/index.js';
import { deriveTraceParts } from '../dist/assembly/derive.js';
import { toCanonicalSpan } from '../dist/mapping/index.js';
import { createSettingsFor, detectTrace } from '../dist/processing/detect/index.js';
import { decodeTracesProto } from '../dist/receiver/otlp/index.js';
import { buildBatchTemplates } from './span-batches.js';
import { percentile } from './stats.js';

/** µs of detection per span, running and settled passes. */
export function measureDetectorCpu(rounds: number): { spans: number; runningUsPerSpan: number; settledUsPerSpan: number; anomalies: number } {
  const rows = buildBatchTemplates({ spansPerBatch: 512, templateCount: 4 }).flatMap((t) => decodeTracesProto(t.bytes, 'default').rows);
  const byTrace = new Map<string, SpanRow[]>();
  for (const row of rows) byTrace.set(row.traceId, [...(byTrace.get(row.traceId) ?? []), row]);
  const costOf = createSpanCostResolver(createPriceBook(MODEL_PRICES.entries, []));
  const settingsFor = createSettingsFor(undefined);
  let spans = 0;
  let runningMs = 0;
  let settledMs = 0;
  let anomalies = 0;
  for (let round = 0; round < rounds; round++) {
    // Fresh span objects each round, as each export brings its own; mapped before the clock
    // starts, so only detection (and the garbage it makes) is timed.
    const traces = [...byTrace.values()].map((trace) => {
      const all = trace.map(toCanonicalSpan);
      // A settled trace is looked at right after derivation, with what derivation found.
      return { open: trace.filter((r) => r.parentSpanId !== '').map(toCanonicalSpan), all, derived: deriveTraceParts(all, costOf, 1n) };
    });
    let t0 = performance.now();
    for (const trace of traces) detectTrace(trace.open, true, costOf, settingsFor);
    runningMs += performance.now() - t0;
    t0 = performance.now();
    for (const trace of traces) anomalies += detectTrace(trace.all, false, costOf, settingsFor, trace.derived).anomalies.length;
    settledMs += performance.now() - t0;
    spans += rows.length;
  }
  return { spans, runningUsPerSpan: (runningMs * 1000) / spans, settledUsPerSpan: (settledMs * 1000) / spans, anomalies };
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** An OTLP/JSON export of one open session: `calls` identical tool calls under an agent span that has not ended. */
function loopingSession(i: number, calls: number): string {
  const traceId = hex(i + 1, 32);
  const agentSpan = hex(i + 1, 16);
  const start = BigInt(Date.now() - 60_000) * 1_000_000n;
  const spans = Array.from({ length: calls }, (_, c) => ({
    traceId, spanId: hex(0x10000000 + i * 64 + c, 16), parentSpanId: agentSpan, name: 'execute_tool get_forecast', kind: 1,
    startTimeUnixNano: String(start + BigInt(c) * 1_000_000_000n), endTimeUnixNano: String(start + BigInt(c) * 1_000_000_000n + 500_000_000n),
    attributes: [attr('gen_ai.operation.name', 'execute_tool'), attr('gen_ai.tool.name', 'get_forecast'), attr('gen_ai.tool.call.arguments', '{"city":"Lisbon"}')],
  }));
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [attr('service.name', 'bench-agent')] }, scopeSpans: [{ scope: { name: 'bench' }, spans }] }] });
}

/** Guard latency over HTTP, ms: sessions held in memory and sessions answered from storage. */
export async function measureGuardLatency(sessions: number, requests: number): Promise<{ memory: number[]; storage: number[]; stops: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentflow-guard-bench-'));
  const parsed = parseConfig({ AGENTFLOW_DATA_DIR: dataDir, AGENTFLOW_PORT: '0', AGENTFLOW_LOG_LEVEL: 'silent' });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const collector = await startCollector(parsed.config, pino({ level: 'silent' }));
  try {
    const base = await collector.listen();
    for (let i = 0; i < sessions; i++) {
      const res = await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: loopingSession(i, 6) });
      if (!res.ok) throw new Error(`export refused: HTTP ${res.status}`);
    }
    const deadline = Date.now() + 30_000;
    while (collector.anomalies.stats().watchedSessions < sessions && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const ask = async (sessionId: string): Promise<{ ms: number; verdict: string }> => {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/guard`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session_id: sessionId }) });
      const body = (await res.json()) as { verdict: string };
      return { ms: performance.now() - t0, verdict: body.verdict };
    };
    const memory: number[] = [];
    let stops = 0;
    for (let r = 0; r < requests; r++) {
      const answer = await ask(hex((r % sessions) + 1, 16));
      memory.push(answer.ms);
      if (answer.verdict === 'stop') stops++;
    }
    const storage: number[] = [];
    for (let r = 0; r < Math.max(1, Math.floor(requests / 4)); r++) storage.push((await ask(hex(0x7f000000 + r, 16))).ms);
    return { memory, storage, stops };
  } finally {
    await collector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const ms = (values: number[], p: number) => `${percentile([...values].sort((a, b) => a - b), p).toFixed(2)} ms`;

async function main(): Promise<number> {
  const cpu = measureDetectorCpu(Number(process.env.BENCH_DETECT_ROUNDS ?? 20));
  process.stdout.write(`detection — ${cpu.spans.toLocaleString('en-US')} spans of the ingest bench's agent traces\n`);
  process.stdout.write(`detector CPU  running pass ${cpu.runningUsPerSpan.toFixed(2)} µs/span, settled pass ${cpu.settledUsPerSpan.toFixed(2)} µs/span (${cpu.anomalies} anomalies)\n`);
  const sessions = Number(process.env.BENCH_GUARD_SESSIONS ?? 1_000);
  const guard = await measureGuardLatency(sessions, Number(process.env.BENCH_GUARD_REQUESTS ?? 4_000));
  const p99 = percentile([...guard.memory].sort((a, b) => a - b), 99);
  process.stdout.write(`guard latency ${guard.memory.length} asks over ${sessions} looping sessions held in memory: p50 ${ms(guard.memory, 50)}, p99 ${ms(guard.memory, 99)}; ${guard.stops} answered stop\n`);
  process.stdout.write(`              ${guard.storage.length} asks for sessions not held (read from storage): p50 ${ms(guard.storage, 50)}, p99 ${ms(guard.storage, 99)}\n`);
  process.stdout.write(`targets       guard p99 <20 ms ${p99 < 20 ? '✓' : '✗'}  every looping session stopped ${guard.stops === guard.memory.length ? '✓' : '✗'}\n`);
  // Like the other benches: a missed figure is reported, not a failure of the run; a guard that
  // did not stop a looping session is wrong, not slow.
  return guard.stops === guard.memory.length ? 0 : 1;
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => (process.exitCode = code), (err: unknown) => {
    process.stderr.write(`detect bench crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
