import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeAgentModelScenarios, loadAgentModelScenarios } from './helpers/agent-model-expectations.js';

/**
 * The OpenAI Agents SDK's own trace export (`*.openai-traces.json`, as its OpenAITracingExporter
 * POSTs it) goes in through `POST /v1/traces/ingest`; the derived agent tables must hold what the
 * scenario's `.expect.json` says, exactly as for the same runs sent as OTLP.
 */
const NATIVE = '.openai-traces.json';

/** The OTel trace ids of a body, read from the SDK's ids (`trace_<32 hex>` → the hex), not by the decoder. */
function traceIds(body: Buffer): string[] {
  const { data } = JSON.parse(body.toString('utf8')) as { data: { trace_id?: string }[] };
  return data.flatMap((item) => (item.trace_id === undefined ? [] : [item.trace_id.slice('trace_'.length)]));
}

const scenarios = loadAgentModelScenarios({ files: (files, scenario) => files.filter((f) => f === `${scenario}${NATIVE}`), traceIds });

it('finds every native capture', () => {
  const captures = readdirSync(fileURLToPath(new URL('./fixtures/openai-agents/', import.meta.url))).filter((f) => f.endsWith(NATIVE));
  expect(captures.length).toBeGreaterThan(0);
  expect(scenarios.map((s) => s.name).sort()).toEqual(captures.map((f) => `openai-agents/${f.slice(0, -NATIVE.length)}`).sort());
});

describeAgentModelScenarios(scenarios, { url: '/v1/traces/ingest', contentType: 'application/json' });
