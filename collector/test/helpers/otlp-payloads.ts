/**
 * Hand-built OTLP export requests for tests, protobuf and JSON, including shapes no SDK sends
 * (ids of the wrong length, end before start). Built with the test's own wire encoder, never the
 * collector's code.
 */
import { randomBytes } from 'node:crypto';
import { doubleField, fixed64Field, lenField, varintField } from './protobuf-wire.js';

/** An attribute value: string, bool, int64 (bigint) or double (number). */
export type TestAttributeValue = string | boolean | bigint | number;

/** One span to encode. Ids are raw bytes so tests can make them any length. */
export interface TestSpan {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId?: Buffer;
  name: string;
  /** OTLP enum value (1 Internal … 5 Consumer); 0 when omitted. */
  kind?: number;
  start: bigint;
  end: bigint;
  attributes?: Record<string, TestAttributeValue>;
}

/** A fresh random trace id (16 bytes). */
export function newTraceId(): Buffer {
  return randomBytes(16);
}

/** A fresh random span id (8 bytes). */
export function newSpanId(): Buffer {
  return randomBytes(8);
}

/** Nanoseconds since the epoch for "now", plus `offsetMs`. */
export function nowNanos(offsetMs = 0): bigint {
  return BigInt(Date.now() + offsetMs) * 1_000_000n;
}

function protoAnyValue(value: TestAttributeValue): Buffer {
  if (typeof value === 'string') return lenField(1, value);
  if (typeof value === 'boolean') return varintField(2, value ? 1 : 0);
  if (typeof value === 'bigint') return varintField(3, value);
  return doubleField(4, value);
}

function protoKeyValue(key: string, value: TestAttributeValue): Buffer {
  return Buffer.concat([lenField(1, key), lenField(2, protoAnyValue(value))]);
}

function protoSpan(s: TestSpan): Buffer {
  const parts = [
    lenField(1, s.traceId),
    lenField(2, s.spanId),
    s.parentSpanId === undefined ? Buffer.alloc(0) : lenField(4, s.parentSpanId),
    lenField(5, s.name),
    varintField(6, s.kind ?? 0),
    fixed64Field(7, s.start),
    fixed64Field(8, s.end),
    ...Object.entries(s.attributes ?? {}).map(([k, v]) => lenField(9, protoKeyValue(k, v))),
  ];
  return Buffer.concat(parts);
}

/** An `ExportTraceServiceRequest` with one resource (`service.name`) and one scope. */
export function protoTraceRequest(serviceName: string, spans: readonly TestSpan[], scopeName = 'test-scope'): Buffer {
  const resource = lenField(1, lenField(1, protoKeyValue('service.name', serviceName)));
  const scope = lenField(1, lenField(1, scopeName));
  const scopeSpans = lenField(2, scope, ...spans.map((s) => lenField(2, protoSpan(s))));
  return lenField(1, resource, scopeSpans);
}

function jsonAnyValue(value: TestAttributeValue): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  // proto3 JSON: int64 as a decimal string.
  if (typeof value === 'bigint') return { intValue: value.toString() };
  return { doubleValue: value };
}

/** One span as OTLP/JSON: hex ids, int64 times as decimal strings. */
export function jsonSpan(s: TestSpan): Record<string, unknown> {
  return {
    traceId: s.traceId.toString('hex'),
    spanId: s.spanId.toString('hex'),
    ...(s.parentSpanId === undefined ? {} : { parentSpanId: s.parentSpanId.toString('hex') }),
    name: s.name,
    kind: s.kind ?? 0,
    startTimeUnixNano: s.start.toString(),
    endTimeUnixNano: s.end.toString(),
    attributes: Object.entries(s.attributes ?? {}).map(([key, v]) => ({ key, value: jsonAnyValue(v) })),
  };
}

/** An OTLP/JSON `ExportTraceServiceRequest` holding the given (already JSON-shaped) spans. */
export function jsonTraceRequest(serviceName: string, spans: readonly Record<string, unknown>[], scopeName = 'test-scope'): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
        scopeSpans: [{ scope: { name: scopeName }, spans }],
      },
    ],
  });
}

/** Spans in an OTLP/JSON trace request, counted from the parsed document. */
export function countJsonSpans(doc: unknown): number {
  const d = doc as { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] };
  return (d.resourceSpans ?? []).reduce((n, rs) => n + (rs.scopeSpans ?? []).reduce((m, ss) => m + (ss.spans ?? []).length, 0), 0);
}

/** Log records in an OTLP/JSON logs request, counted from the parsed document. */
export function countJsonLogRecords(doc: unknown): number {
  const d = doc as { resourceLogs?: { scopeLogs?: { logRecords?: unknown[] }[] }[] };
  return (d.resourceLogs ?? []).reduce((n, rl) => n + (rl.scopeLogs ?? []).reduce((m, sl) => m + (sl.logRecords ?? []).length, 0), 0);
}

/** A small seeded PRNG (mulberry32), so fuzz-style tests are reproducible. Returns [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
