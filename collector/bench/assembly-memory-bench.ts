/**
 * Assembly memory: the heap the trace buffer needs to hold N concurrent open traces (default
 * 10,000, `BENCH_OPEN_TRACES`). Realistic agent spans (the load generator's) are decoded and fed
 * to a real Assembler whose traces never settle (no root span, no timeout within the run); the
 * heap is measured after a forced GC before and after. Run with `node --expose-gc`.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SpanRow } from '@agentflow/schemas';
import { Assembler } from '../dist/assembly/index.js';
import { toCanonicalSpan } from '../dist/mapping/index.js';
import { decodeTracesProto } from '../dist/receiver/otlp/index.js';
import { AGENT_SINKS } from '../dist/storage/index.js';
import { buildBatchTemplates } from './span-batches.js';

/** Heap and RSS held by the assembly buffer for `openTraces` traces. */
export interface AssemblyMemoryResult {
  openTraces: number;
  spans: number;
  heapBytes: number;
  rssBytes: number;
  bytesPerTrace: number;
  bytesPerSpan: number;
  mapSpansPerSecond: number;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
}

/** Measures the buffer's memory for `openTraces` concurrent traces of the generator's agent runs. */
export function measureAssemblyMemory(openTraces: number): AssemblyMemoryResult {
  // Decoded template spans, re-identified per trace; parents kept so traces look real, but each
  // trace's root is dropped so none of them settles while we measure.
  const templates = buildBatchTemplates({ spansPerBatch: 512, templateCount: 2 }).flatMap((t) => decodeTracesProto(t.bytes, 'default').rows);
  const byTrace = new Map<string, SpanRow[]>();
  for (const row of templates) if (row.parentSpanId !== '') byTrace.set(row.traceId, [...(byTrace.get(row.traceId) ?? []), row]);
  const shapes = [...byTrace.values()];
  const assembler = new Assembler(
    {
      writer: { write: async () => ({ status: 'committed' }) },
      sinks: AGENT_SINKS,
      loadSpans: async () => [],
      toCanonical: toCanonicalSpan,
      costOf: () => ({ costUsd: 0, source: 'computed' }),
      log: { info() {}, warn() {}, error() {} },
    },
    { quietMs: 3_600_000, timeoutMs: 3_600_000, maxTraces: openTraces + 1, maxSpans: Number.MAX_SAFE_INTEGER, tickMs: 3_600_000 },
  );
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  let spans = 0;
  const started = performance.now();
  for (let i = 0; i < openTraces; i++) {
    const shape = shapes[i % shapes.length] as SpanRow[];
    const traceId = i.toString(16).padStart(32, '0');
    // Fresh row objects per trace, as the receiver would decode them, mapped as it maps them.
    const rows = shape.map((r) => ({ ...r, traceId, attributes: { ...r.attributes } }));
    assembler.add(rows.map(toCanonicalSpan));
    spans += rows.length;
  }
  const elapsedS = (performance.now() - started) / 1000;
  collect();
  const heapBytes = process.memoryUsage().heapUsed - heapBefore;
  const rssBytes = process.memoryUsage().rss - rssBefore;
  if (assembler.stats().openTraces !== openTraces) throw new Error(`expected ${openTraces} open traces, have ${assembler.stats().openTraces}`);
  return { openTraces, spans, heapBytes, rssBytes, bytesPerTrace: heapBytes / openTraces, bytesPerSpan: heapBytes / spans, mapSpansPerSecond: spans / elapsedS };
}

const MB = 1024 * 1024;

/** The report lines. */
export function formatAssemblyMemory(r: AssemblyMemoryResult): string {
  return [
    `assembly memory — ${r.openTraces.toLocaleString('en-US')} open traces, ${r.spans.toLocaleString('en-US')} spans buffered`,
    `heap held     ${(r.heapBytes / MB).toFixed(1)} MB (${Math.round(r.bytesPerTrace).toLocaleString('en-US')} B/trace, ${Math.round(r.bytesPerSpan).toLocaleString('en-US')} B/span); RSS grew ${(r.rssBytes / MB).toFixed(1)} MB`,
    `map + buffer  ${Math.round(r.mapSpansPerSecond).toLocaleString('en-US')} spans/s on one core`,
  ].join('\n');
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const openTraces = Number(process.env.BENCH_OPEN_TRACES ?? 10_000);
  process.stdout.write(`${formatAssemblyMemory(measureAssemblyMemory(openTraces))}\n`);
}
