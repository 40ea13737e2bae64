/**
 * Decoder of the OpenAI Agents SDK's own trace export: the JSON its `OpenAITracingExporter` POSTs
 * to a traces-ingest endpoint, `{"data": [item, …]}` where an item is a trace
 * (`{"object": "trace", id, workflow_name, group_id, metadata}`) or a finished span
 * (`{"object": "trace.span", id, trace_id, parent_id, started_at, ended_at, span_data, error}`).
 * It builds the span rows the SDK's runs give when bridged to OTel (GenAI keys plus
 * `openai.agents.*`), so the mapping's openai-agents dialect reads both alike.
 */
import type { AttributeMap, SpanRow } from '@agentflow/schemas';
import { jsonError } from '../otlp/decode-error.js';
import { ResultBuilder, type DecodeResult } from '../otlp/decode-result.js';
import { parseJsonBody } from '../otlp/json-body.js';
import { describe, isObject, JsonShapeProblem, type JsonObject } from '../otlp/json-fields.js';
import { openAiAgentsResource } from './source.js';
import { readSpanItem } from './span-item.js';
import { readTraceItem } from './trace-item.js';

/** Values of an item's `object`. */
const TRACE = 'trace';
const SPAN = 'trace.span';

/**
 * Decodes an Agents SDK trace export into span rows stamped with `tenantId`. Pure: the same body
 * always gives the same rows (ids are derived from the SDK's, never drawn).
 *
 * A trace item's workflow name, group id (→ `gen_ai.conversation.id`) and metadata
 * (→ `openai.agents.metadata.*`) go onto every span of that trace in the same request, wherever
 * in the list it stands; a span whose trace item is elsewhere is decoded without them. An item
 * that breaks a rule (not an object, an unknown `object`, a missing or malformed id or time, a
 * span that ends before it starts, a field of the wrong type) is rejected and counted; the rest
 * are kept. Rows share one `resourceAttributes` object: treat rows as read-only.
 * @throws OtlpDecodeError (`OTLP_INVALID_JSON`) when the body is not JSON or not `{"data": [...]}`.
 */
export function decodeOpenAiTraces(body: Uint8Array, tenantId: string): DecodeResult<SpanRow> {
  const items = itemsOf(parseJsonBody(body));
  const out = new ResultBuilder<SpanRow>();
  const traces = new Map<string, AttributeMap>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isObject(item) || item['object'] !== TRACE) continue;
    readItem(out, i, item, () => {
      const trace = readTraceItem(item);
      traces.set(trace.id, trace.attributes);
    });
  }
  const context = { tenantId, resourceAttributes: openAiAgentsResource(), traces };
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isObject(item)) {
      out.reject(() => `item ${i}: must be an object, got ${describe(item)}`);
    } else if (item['object'] === SPAN) {
      readItem(out, i, item, () => out.rows.push(readSpanItem(item, context)));
    } else if (item['object'] !== TRACE) {
      out.reject(() => `item ${i}: object must be "${TRACE}" or "${SPAN}", got ${describe(item['object'])}`);
    }
  }
  return out.result();
}

function itemsOf(request: JsonObject): unknown[] {
  const data = request['data'];
  if (!Array.isArray(data)) {
    throw jsonError(`invalid OpenAI traces export: the body must be {"data": [...]}, data is ${data === undefined ? 'missing' : describe(data)}`);
  }
  return data;
}

/** Runs `read` on item `index`, turning a shape problem into a rejection of that item alone. */
function readItem(out: ResultBuilder<SpanRow>, index: number, item: JsonObject, read: () => void): void {
  try {
    read();
  } catch (err) {
    if (!(err instanceof JsonShapeProblem)) throw err;
    const id = typeof item['id'] === 'string' && item['id'] !== '' ? ` ${describe(item['id'])}` : '';
    out.reject(() => `item ${index} (${String(item['object'])}${id}): ${err.reason}`);
  }
}
