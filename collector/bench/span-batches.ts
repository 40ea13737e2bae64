/**
 * Pre-encoded OTLP/protobuf batches of synthetic agent spans for the load generator, and the
 * in-place id patching that makes every request's spans unique without re-encoding.
 *
 * Each batch is built once from ReadableSpan-shaped objects and encoded by the real
 * `ProtobufTraceSerializer`, the same encoder the OTel JS OTLP/proto exporter uses, so the server
 * sees what an SDK would send.
 */
import { randomBytes } from 'node:crypto';
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { findSpanIdOffsets, type SpanIdOffsets } from './otlp-wire.js';
import { buildAgentTrace, buildResourceAttributes, createRandom, type SyntheticSpan } from './synthetic-agents.js';

/** One encoded `ExportTraceServiceRequest` and where its ids sit. */
export interface BatchTemplate {
  /** The encoded request; never modified (stamping copies it first). */
  bytes: Buffer;
  spanCount: number;
  offsets: SpanIdOffsets;
}

/** Options for {@link buildBatchTemplates}. */
export interface BatchTemplateOptions {
  /** Spans per batch (per request). */
  spansPerBatch: number;
  /** How many distinct batches to build; the generator rotates through them. Default 4. */
  templateCount?: number;
  /** Seed for attribute values, so runs send comparable data. Ids are always random. Default 1. */
  seed?: number;
  /** Wall clock used for span timestamps, ms since the epoch. Default `Date.now()`. */
  nowMs?: number;
}

/**
 * Bytes of each id the stamp overwrites (the leading ones). The rest of each id is random per
 * template and distinct within it, so stamp + template bytes are unique across the run.
 */
const STAMP_BYTES = 4;

const SCOPE = { name: 'agentflow-bench-load-generator', version: '0.1.0' };

/**
 * Builds `templateCount` batches of `spansPerBatch` agent spans each (8-span agent runs: an agent,
 * its LLM calls and tool calls, a sub-agent), encoded as OTLP protobuf.
 */
export function buildBatchTemplates(options: BatchTemplateOptions): BatchTemplate[] {
  const templateCount = options.templateCount ?? 4;
  const random = createRandom(options.seed ?? 1);
  const nowMs = options.nowMs ?? Date.now();
  const templates: BatchTemplate[] = [];
  for (let t = 0; t < templateCount; t++) {
    const resource = resourceFromAttributes(buildResourceAttributes(t, random));
    const ids = createUniqueIdSource();
    const spans: ReadableSpan[] = [];
    let trace = 0;
    while (spans.length < options.spansPerBatch) {
      // Stagger runs over the last minute so timestamps look like a live fleet, not one instant.
      const startMs = nowMs - 60_000 + random() * 59_000;
      const run = buildAgentTrace({ random, startMs, runIndex: t * 1_000_000 + trace });
      const traceId = ids.traceId();
      const spanIds = run.map(() => ids.spanId());
      for (let i = 0; i < run.length && spans.length < options.spansPerBatch; i++) {
        const span = run[i] as SyntheticSpan;
        const parentSpanId = span.parentIndex === undefined ? undefined : spanIds[span.parentIndex];
        spans.push(toReadableSpan(span, traceId, spanIds[i] as string, parentSpanId, resource));
      }
      trace++;
    }
    const encoded = ProtobufTraceSerializer.serializeRequest(spans);
    if (encoded === undefined) throw new Error('ProtobufTraceSerializer returned no bytes');
    const bytes = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
    const offsets = findSpanIdOffsets(bytes);
    if (offsets.spanIds.length !== spans.length) {
      throw new Error(`found ${offsets.spanIds.length} span ids in a batch of ${spans.length}`);
    }
    templates.push({ bytes, spanCount: spans.length, offsets });
  }
  return templates;
}

/**
 * Copies `template` into `target` (which must be at least as long) and writes a per-request stamp
 * into the leading bytes of every trace, span and parent span id, keeping parent links intact.
 * Returns the view of `target` holding the request body.
 *
 * `requestId` must be distinct per request within a run (a counter); it is scrambled by a
 * bijective 32-bit mix so ids stay random-looking (sequential ids would compress unrealistically).
 */
export function stampBatch(template: BatchTemplate, target: Buffer, requestId: number): Buffer {
  template.bytes.copy(target, 0);
  const stamp = mix32(requestId);
  const { traceIds, spanIds, parentSpanIds } = template.offsets;
  for (const offset of traceIds) target.writeUInt32BE(stamp, offset);
  for (const offset of spanIds) target.writeUInt32BE(stamp, offset);
  for (const offset of parentSpanIds) target.writeUInt32BE(stamp, offset);
  return target.subarray(0, template.bytes.length);
}

/** murmur3's 32-bit finaliser: a bijection on uint32, so distinct inputs give distinct stamps. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Random ids whose unstamped bytes are distinct within one template. */
function createUniqueIdSource(): { traceId(): string; spanId(): string } {
  const seen = new Set<string>();
  const next = (bytes: number): string => {
    for (;;) {
      const id = randomBytes(bytes);
      const tail = id.subarray(STAMP_BYTES).toString('hex');
      if (seen.has(tail)) continue;
      seen.add(tail);
      return id.toString('hex');
    }
  };
  return { traceId: () => next(16), spanId: () => next(8) };
}

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

function toReadableSpan(
  span: SyntheticSpan,
  traceId: string,
  spanId: string,
  parentSpanId: string | undefined,
  resource: Resource,
): ReadableSpan {
  const context = { traceId, spanId, traceFlags: TraceFlags.SAMPLED };
  const events: TimedEvent[] = [
    { name: span.event.name, time: hrTime(span.event.atMs), attributes: span.event.attributes as Attributes, droppedAttributesCount: 0 },
  ];
  return {
    name: span.name,
    kind: span.kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL,
    spanContext: () => context,
    parentSpanContext:
      parentSpanId === undefined ? undefined : { traceId, spanId: parentSpanId, traceFlags: TraceFlags.SAMPLED },
    startTime: hrTime(span.startMs),
    endTime: hrTime(span.endMs),
    duration: hrTime(span.endMs - span.startMs),
    status: span.error === undefined ? { code: SpanStatusCode.UNSET } : { code: SpanStatusCode.ERROR, message: span.error },
    attributes: span.attributes,
    links: [],
    events,
    ended: true,
    resource,
    instrumentationScope: SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}
