/**
 * Export items for the decoder's tests, shaped as the Agents SDK sends them (not part of the build).
 */
import type { DecodeResult } from '../otlp/decode-result.js';
import type { SpanRow } from '@agentflow/schemas';
import { decodeOpenAiTraces } from './decode.js';

export const OPENAI_TRACE_ID = 'trace_4dba29bfb5404495a0eabc062e62ac18';
export const OTEL_TRACE_ID = '4dba29bfb5404495a0eabc062e62ac18';
export const OPENAI_SPAN_ID = 'span_94f98327bcc14a898f4ed300';
export const OPENAI_PARENT_ID = 'span_44cd0983ab4a4550b8f9c1f3';

type Item = Record<string, unknown>;

/** A trace item, fields merged over a complete one. */
export function traceItem(fields: Item = {}): Item {
  return { object: 'trace', id: OPENAI_TRACE_ID, workflow_name: 'Orders', group_id: 'conv-3001', metadata: { user_id: 'user-42' }, ...fields };
}

/** A finished span item, fields merged over a complete custom span. */
export function spanItem(fields: Item = {}): Item {
  return {
    object: 'trace.span', id: OPENAI_SPAN_ID, trace_id: OPENAI_TRACE_ID, parent_id: OPENAI_PARENT_ID,
    started_at: '2026-11-21T06:04:49.535Z', ended_at: '2026-11-21T06:04:49.548Z',
    span_data: { type: 'custom', name: 'step', data: {} }, error: null,
    ...fields,
  };
}

/** A span item with the given span data. */
export function spanWith(spanData: Item, fields: Item = {}): Item {
  return spanItem({ span_data: spanData, ...fields });
}

/** A body as bytes: a string as is, anything else as JSON. */
export function bytes(body: unknown): Uint8Array {
  return new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Decodes `{"data": items}`. */
export function decodeItems(...items: unknown[]): DecodeResult<SpanRow> {
  return decodeOpenAiTraces(bytes({ data: items }), 'tenant-o');
}

/** The one row the items decode to, failing on any rejection. */
export function onlyRow(...items: unknown[]): SpanRow {
  const result = decodeItems(...items);
  if (result.errors.length > 0 || result.rows.length !== 1) throw new Error(`expected one row: ${result.errors.join('; ')}`);
  return result.rows[0]!;
}
