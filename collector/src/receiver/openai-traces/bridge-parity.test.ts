import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GEN_AI, OPENAI_AGENTS, type SpanRow } from '@agentflow/schemas';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../mapping/test-fixture-support.js';
import { decodeTracesJson } from '../otlp/index.js';
import { decodeOpenAiTraces } from './index.js';

/**
 * The captured Agents SDK runs exist twice: as the SDK's own export (`*.openai-traces.json`) and
 * as the same spans bridged to OTel (`*.json`, OTLP/JSON). Decoding the first must give each span
 * what the bridge gave it, so the mapping reads both alike. The bridge adds one root span per
 * trace for the trace item; the decoder puts that span's attributes on every span instead.
 */
const DIR = join(FIXTURES, 'openai-agents');
const SCENARIOS = readdirSync(DIR).filter((f) => f.endsWith('.openai-traces.json')).map((f) => f.slice(0, -'.openai-traces.json'.length));

const sdkSpanId = (row: SpanRow | undefined) => row?.attributes[OPENAI_AGENTS.SPAN_ID] ?? '';
const eventsOf = (row: SpanRow) => row.events.map((e) => ({ name: e.name, time: e.timeUnixNano, attributes: { ...e.attributes } }));

it('finds the native captures', () => {
  expect(SCENARIOS.length).toBeGreaterThan(0);
});

describe.each(SCENARIOS)('%s', (scenario) => {
  const native = decodeOpenAiTraces(readFileSync(join(DIR, `${scenario}.openai-traces.json`)), 't');
  const bridged = decodeTracesJson(readFileSync(join(DIR, `${scenario}.json`)), 't').rows;
  const workflowRoots = bridged.filter((r) => r.attributes[OPENAI_AGENTS.SPAN_ID] === undefined);
  const bridgedSpans = bridged.filter((r) => r.attributes[OPENAI_AGENTS.SPAN_ID] !== undefined);
  const nativeBySdkId = new Map(native.rows.map((r) => [sdkSpanId(r), r]));
  const bridgedBySpanId = new Map(bridged.map((r) => [r.spanId, r]));
  const nativeBySpanId = new Map(native.rows.map((r) => [r.spanId, r]));

  it('decodes every item, one row per bridged span', () => {
    expect(native).toMatchObject({ rejected: 0, errors: [] });
    expect(native.rows.map(sdkSpanId).sort()).toEqual(bridgedSpans.map(sdkSpanId).sort());
  });

  it('gives each span the bridge\'s attributes', () => {
    for (const b of bridgedSpans) expect(nativeBySdkId.get(sdkSpanId(b))?.attributes, b.name).toMatchObject({ ...b.attributes });
  });

  it('puts the trace item\'s attributes, which the bridge puts on its root span, on every span', () => {
    expect(workflowRoots).toHaveLength(1);
    const { [GEN_AI.OPERATION_NAME]: _operation, ...traceAttributes } = workflowRoots[0]!.attributes;
    for (const row of native.rows) expect(row.attributes).toMatchObject(traceAttributes);
    expect(native.rows.every((r) => r.traceId === traceAttributes[OPENAI_AGENTS.TRACE_ID]?.slice('trace_'.length))).toBe(true);
  });

  it('gives each span the bridge\'s name, kind, times, status and events', () => {
    for (const b of bridgedSpans) {
      const n = nativeBySdkId.get(sdkSpanId(b))!;
      expect({ name: n.name, kind: n.kind, start: n.startTimeUnixNano, end: n.endTimeUnixNano, status: n.statusCode, message: n.statusMessage, events: eventsOf(n) })
        .toEqual({ name: b.name, kind: b.kind, start: b.startTimeUnixNano, end: b.endTimeUnixNano, status: b.statusCode, message: b.statusMessage, events: eventsOf(b) });
    }
  });

  it('keeps the bridge\'s parentage (its workflow root span aside)', () => {
    for (const b of bridgedSpans) {
      const n = nativeBySdkId.get(sdkSpanId(b))!;
      expect(sdkSpanId(nativeBySpanId.get(n.parentSpanId)), b.name).toBe(sdkSpanId(bridgedBySpanId.get(b.parentSpanId)));
      if (n.parentSpanId !== '') expect(nativeBySpanId.has(n.parentSpanId), b.name).toBe(true);
    }
  });
});
