import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { LogRow, SpanRow } from '@agentflow/schemas';
import { describe, expect, it } from 'vitest';
import { decodeLogsJson, decodeLogsProto, decodeTracesJson, decodeTracesProto, type DecodeResult } from './index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures');

interface Payload {
  name: string;
  /** `<dir>/<file>` without `.gz` and the `.pb`/`.json` extension: the pair key. */
  scenario: string;
  encoding: 'protobuf' | 'json';
  signal: 'traces' | 'logs';
  body: Buffer;
}

/** Every captured OTLP request body: `*.pb` and `*.json`, gzipped or not, minus the expectations. */
function payloads(): Payload[] {
  const out: Payload[] = [];
  for (const entry of readdirSync(FIXTURES, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const name = entry.name;
    if (name === 'manifest.json' || name.endsWith('.expect.json') || name.endsWith('.openai-traces.json')) continue;
    const plain = name.endsWith('.gz') ? name.slice(0, -3) : name;
    const encoding = plain.endsWith('.pb') ? 'protobuf' : plain.endsWith('.json') ? 'json' : undefined;
    if (encoding === undefined) continue;
    const path = join(entry.parentPath, name);
    const raw = readFileSync(path);
    out.push({
      name: relative(FIXTURES, path),
      scenario: relative(FIXTURES, join(entry.parentPath, plain.replace(/\.(pb|json)$/, ''))),
      encoding,
      signal: plain.includes('.logs.') ? 'logs' : 'traces',
      body: name.endsWith('.gz') ? gunzipSync(raw) : raw,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function decode(p: Payload): DecodeResult<SpanRow | LogRow> {
  if (p.signal === 'logs') return (p.encoding === 'protobuf' ? decodeLogsProto : decodeLogsJson)(p.body, 'fixtures');
  return (p.encoding === 'protobuf' ? decodeTracesProto : decodeTracesJson)(p.body, 'fixtures');
}

const all = payloads();

describe('captured framework payloads', () => {
  it('finds the fixtures, both encodings of each scenario', () => {
    expect(all.length).toBeGreaterThan(40);
    expect(all.filter((p) => p.signal === 'logs').length).toBeGreaterThan(0);
    expect(all.filter((p) => p.name.endsWith('.gz')).length).toBeGreaterThan(0);
  });

  it.each(all.map((p) => [p.name, p] as const))('%s decodes with nothing rejected', (_name, payload) => {
    const result = decode(payload);
    expect(result.errors).toEqual([]);
    expect(result.rejected).toBe(0);
    expect(result.rows.length).toBeGreaterThan(0);
  });

  const scenarios = [...new Set(all.map((p) => p.scenario))];
  it.each(scenarios)('%s: the protobuf and JSON captures give the same rows', (scenario) => {
    const pair = all.filter((p) => p.scenario === scenario);
    expect(pair.map((p) => p.encoding).sort()).toEqual(['json', 'protobuf']);
    const [a, b] = pair.map((p) => decode(p).rows);
    expect(a!.length).toBe(b!.length);
    // Each scenario's two captures are the same run exported twice, so even ids and times agree.
    expect(a).toEqual(b);
  });
});
