/**
 * Test support for the fixture expectations (not part of the build): loading the captured payloads
 * with their `.expect.json`, and the small trace walks that assembly will do for real (nearest
 * ancestor agent, recovering a tool call id from the requesting LLM span).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { SpanRow } from '@agentflow/schemas';
import { decodeTracesProto } from '../receiver/otlp/index.js';
import type { CanonicalSpan } from './canonical-span.js';
import { toCanonicalSpan } from './to-canonical-span.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures');

export interface ExpectedCall {
  agent: string | null;
  request_model?: string | null;
  response_model?: string | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_tokens?: number | null;
  status: 'ok' | 'error' | 'unset';
  message_contains?: string;
  name?: string;
  call_id?: string | null;
  arguments?: unknown;
}

export interface Expectation {
  session_id: string | null;
  user_id: string | null;
  workflow?: string | null;
  agents: { name: string; parent: string | null; status: string; id?: string; model: string | null; via_tool?: string }[];
  llm_calls: ExpectedCall[];
  tool_calls: ExpectedCall[];
  errors: { kind: string; name: string; error_type?: string; message_contains?: string }[];
  handoffs?: { from: string; to: string }[];
  loops?: { tool: string; repeats: number; identical_arguments: boolean }[];
  totals: Record<string, number>;
}

/** One run of a scenario: the union of its request bodies, mapped. */
export interface Capture {
  /** `<dir>/<file>` of the first body, for test names. */
  name: string;
  scenario: string;
  expect: Expectation;
  rows: SpanRow[];
  spans: CanonicalSpan[];
}

/**
 * Every scenario with an `.expect.json`, once per protobuf capture: `<scenario>.pb` together with
 * any `<scenario>.N.pb` (one run exported in N requests), and separately the gzip copy (same spans,
 * new ids). Logs and the OpenAI Agents SDK's native export are not OTLP traces.
 */
export function loadCaptures(): Capture[] {
  const out: Capture[] = [];
  for (const dir of readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const path = join(FIXTURES, dir.name);
    const files = readdirSync(path);
    for (const file of files.filter((f) => f.endsWith('.expect.json')).sort()) {
      const scenario = file.slice(0, -'.expect.json'.length);
      const expect = JSON.parse(readFileSync(join(path, file), 'utf8')) as Expectation;
      const plain = files.filter((f) => f === `${scenario}.pb` || new RegExp(`^${scenario}\\.\\d+\\.pb$`).test(f)).sort();
      const gzip = files.filter((f) => f === `${scenario}.gzip.pb.gz`);
      for (const bodies of [plain, gzip]) {
        if (bodies.length === 0) continue;
        const rows = bodies.flatMap((f) => decode(join(path, f)));
        out.push({ name: relative(FIXTURES, join(path, bodies[0]!)), scenario: `${dir.name}/${scenario}`, expect, rows, spans: rows.map(toCanonicalSpan) });
      }
    }
  }
  return out;
}

function decode(file: string): SpanRow[] {
  const raw = readFileSync(file);
  const result = decodeTracesProto(file.endsWith('.gz') ? gunzipSync(raw) : raw, 'fixtures');
  if (result.errors.length > 0) throw new Error(`${file}: ${result.errors.join('; ')}`);
  return result.rows;
}

/** Spans of a category, in start order (end, then span id, break ties). */
export function ofCategory(spans: CanonicalSpan[], category: CanonicalSpan['category']): CanonicalSpan[] {
  return spans
    .filter((s) => s.category === category)
    .sort((a, b) => cmp(a.startTimeUnixNano, b.startTimeUnixNano) || cmp(a.endTimeUnixNano, b.endTimeUnixNano) || a.spanId.localeCompare(b.spanId));
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The chain of ancestors of a span within its trace, nearest first. */
export function ancestors(span: CanonicalSpan, spans: CanonicalSpan[]): CanonicalSpan[] {
  const byId = new Map(spans.filter((s) => s.traceId === span.traceId).map((s) => [s.spanId, s]));
  const chain: CanonicalSpan[] = [];
  let parent = byId.get(span.parentSpanId);
  while (parent !== undefined && chain.length < 1000) {
    chain.push(parent);
    parent = byId.get(parent.parentSpanId);
  }
  return chain;
}

/** The agent a span belongs to, as assembly decides it: the nearest ancestor agent span. */
export function owningAgent(span: CanonicalSpan, spans: CanonicalSpan[]): CanonicalSpan | undefined {
  return ancestors(span, spans).find((s) => s.category === 'agent');
}

/**
 * A tool span's call id: its own, else the id of the matching call (same name and arguments) that
 * an LLM span of the same trace requested — the OpenAI Agents bridge leaves it off the tool span.
 */
export function resolvedCallId(tool: CanonicalSpan, spans: CanonicalSpan[]): string {
  if (tool.toolCallId !== '') return tool.toolCallId;
  const matches = spans
    .filter((s) => s.traceId === tool.traceId && s.category === 'llm')
    .flatMap((s) => s.requestedToolCalls)
    .filter((c) => c.id !== '' && c.name === tool.toolName && c.argumentsHash === tool.toolArgumentsHash);
  return matches.length === 1 ? matches[0]!.id : '';
}
