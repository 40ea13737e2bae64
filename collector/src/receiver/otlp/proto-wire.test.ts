import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeLogsJson, decodeLogsProto, decodeTracesJson, decodeTracesProto, OtlpDecodeError } from './index.js';
import { anyValue, attributes, keyValue, len, message, span, tag, traces, varint } from './test-proto-writer.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures');
const tracesPayload = readFileSync(join(FIXTURES, 'otel-genai/single-agent-tools.pb'));
const logsPayload = readFileSync(join(FIXTURES, 'mastra/agent-tool-loop.logs.pb'));
const DECODERS = [decodeTracesProto, decodeLogsProto, decodeTracesJson, decodeLogsJson];

/** Deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decodes and reports how it ended; anything but rows or an OtlpDecodeError fails the test. */
function outcome(decode: (body: Uint8Array, tenant: string) => unknown, body: Uint8Array): 'rows' | 'refused' {
  try {
    decode(body, 't');
    return 'rows';
  } catch (err) {
    if (err instanceof OtlpDecodeError) return 'refused';
    throw new Error(`${decode.name} threw ${String(err)} on ${Buffer.from(body).toString('hex').slice(0, 200)}`);
  }
}

const decodeMessage = (body: Uint8Array) => () => decodeTracesProto(body, 't');

describe('protobuf framing errors', () => {
  it('refuses every truncated prefix of a real payload with an OtlpDecodeError', () => {
    for (const [payload, decode] of [[tracesPayload, decodeTracesProto], [logsPayload, decodeLogsProto]] as const) {
      const ends = { rows: 0, refused: 0 };
      for (let n = 0; n < payload.length; n++) ends[outcome(decode, payload.subarray(0, n))]++;
      // Only prefixes that end between two top-level ResourceSpans/ResourceLogs decode.
      expect(ends.refused).toBeGreaterThan(payload.length - 5);
    }
  });

  it('names the length that runs past the buffer', () => {
    const body = message(tag(1, 2), Uint8Array.from([0xf4, 0x03]), new Uint8Array(12));
    expect(decodeMessage(body)).toThrow(new OtlpDecodeError('OTLP_INVALID_PROTOBUF', 'truncated protobuf: length 500 exceeds remaining 12 bytes at offset 3'));
  });

  it('refuses a length that runs past its enclosing message', () => {
    const inner = message(tag(5, 2), Uint8Array.from([0x10]), new TextEncoder().encode('ab'));
    expect(decodeMessage(traces([inner]))).toThrow(/^truncated protobuf: length 16 exceeds remaining 2 bytes/);
  });

  it('refuses a varint longer than 10 bytes or overflowing 64 bits', () => {
    const eleven = message(tag(6, 0), new Uint8Array(10).fill(0x80), Uint8Array.from([0x01]));
    expect(decodeMessage(traces([span(eleven)]))).toThrow(/varint longer than 10 bytes/);
    const overflow = message(tag(6, 0), new Uint8Array(9).fill(0xff), Uint8Array.from([0x02]));
    expect(decodeMessage(traces([span(overflow)]))).toThrow(/varint overflows 64 bits/);
    const max = message(tag(6, 0), new Uint8Array(9).fill(0xff), Uint8Array.from([0x01]));
    expect(decodeTracesProto(traces([span(max)]), 't').rows[0]!.kind).toBe('Unspecified');
  });

  it('refuses field number 0, wire types 6 and 7, and stray or unbalanced groups', () => {
    expect(decodeMessage(Uint8Array.from([0x02, 0x00]))).toThrow(/field number 0 at offset 0/);
    expect(decodeMessage(Uint8Array.from([0x0e]))).toThrow(/wire type 6 at offset/);
    expect(decodeMessage(Uint8Array.from([0x0f]))).toThrow(/wire type 7 at offset/);
    expect(decodeMessage(tag(9, 4))).toThrow(/unexpected end-group tag for field 9/);
    expect(decodeMessage(message(tag(9, 3), varint(1, 1)))).toThrow(/truncated protobuf: group of field 9 not closed/);
    expect(decodeMessage(message(tag(9, 3), tag(8, 4)))).toThrow(/group of field 9 closed by field 8/);
  });

  it('caps AnyValue nesting at 32 levels', () => {
    const nested = (depth: number): Uint8Array => (depth === 1 ? anyValue.string('leaf') : anyValue.array(nested(depth - 1)));
    const at = (depth: number) => traces([span(attributes(9, { deep: nested(depth) }))]);
    expect(decodeTracesProto(at(32), 't').rows[0]!.attributes['deep']).toBe('['.repeat(31) + '"leaf"' + ']'.repeat(31));
    expect(decodeMessage(at(33))).toThrow(new OtlpDecodeError('OTLP_INVALID_PROTOBUF', 'invalid protobuf: AnyValue nested deeper than 32 levels'));
    const maps = (depth: number): Uint8Array => (depth === 1 ? anyValue.int(1) : anyValue.kvlist(keyValue('k', maps(depth - 1))));
    expect(decodeMessage(traces([span(attributes(9, { deep: maps(40) }))]))).toThrow(/nested deeper than 32/);
  });

  it('caps group nesting in skipped fields', () => {
    const groups = message(...Array.from({ length: 40 }, (_, i) => tag(100 + i, 3)), ...Array.from({ length: 40 }, (_, i) => tag(139 - i, 4)));
    expect(decodeMessage(traces([span(groups)]))).toThrow(/groups nested deeper than 32 levels/);
  });
});

describe('never crashes on hostile input', () => {
  it('survives random bytes (seeded)', () => {
    const next = random(20240611);
    const seen = { rows: 0, refused: 0 };
    for (let i = 0; i < 20_000; i++) {
      const body = new Uint8Array(Math.floor(next() * 120));
      for (let j = 0; j < body.length; j++) body[j] = Math.floor(next() * 256);
      for (const decode of DECODERS) seen[outcome(decode, body)]++;
    }
    expect(seen.refused).toBeGreaterThan(0);
  });

  it('survives random corruption of real payloads (seeded)', () => {
    const next = random(7);
    for (let i = 0; i < 3_000; i++) {
      const body = Uint8Array.from(i % 2 === 0 ? tracesPayload : logsPayload);
      const flips = 1 + Math.floor(next() * 4);
      for (let f = 0; f < flips; f++) body[Math.floor(next() * body.length)] = Math.floor(next() * 256);
      outcome(i % 2 === 0 ? decodeTracesProto : decodeLogsProto, body);
    }
  });

  it('refuses invalid wire data from the JSON decoders too', () => {
    expect(outcome(decodeTracesJson, tracesPayload)).toBe('refused');
    expect(outcome(decodeLogsJson, logsPayload)).toBe('refused');
  });

  it('stops on a huge claimed length without allocating it', () => {
    const body = message(tag(1, 2), Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]));
    expect(decodeMessage(body)).toThrow(/truncated protobuf: length 9223372036854775807|truncated protobuf: length 9223372036854776000/);
  });
});

it('decodes payloads passed as a Uint8Array view into a larger buffer', () => {
  const backing = new Uint8Array(tracesPayload.length + 10);
  backing.set(tracesPayload, 7);
  const view = backing.subarray(7, 7 + tracesPayload.length);
  expect(decodeTracesProto(view, 't')).toEqual(decodeTracesProto(tracesPayload, 't'));
  expect(decodeTracesProto(len(1, message()), 't').rows).toEqual([]);
});
