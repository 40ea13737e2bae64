/**
 * The Agents SDK's ids as OTel ids. A trace id `trace_<32 hex>` carries exactly the 16 bytes an
 * OTel trace id holds, so its hex is used as is; a span id `span_<24 hex>` is 12 bytes, too long
 * for an OTel span id, so it is hashed down to 8. Both are pure functions of the SDK id: a span's
 * parent id maps to its parent's span id wherever each arrives, and decoding a body again (as the
 * assembly thread does) gives the same rows.
 */
import { createHash } from 'node:crypto';

const OPENAI_TRACE_ID = /^trace_([0-9a-fA-F]{32})$/;

/**
 * The OTel trace id (32 lowercase hex) of an SDK trace id: the hex of `trace_<32 hex>`; any other
 * id (the SDK lets callers choose one, documented as `trace_<32 alphanumeric>`) is hashed to 16
 * bytes, so the spans of that trace still share one OTel trace.
 */
export function otelTraceId(openAiTraceId: string): string {
  const hex = OPENAI_TRACE_ID.exec(openAiTraceId)?.[1];
  return hex !== undefined ? hex.toLowerCase() : sha256Hex(openAiTraceId).slice(0, 32);
}

/** The OTel span id (16 lowercase hex) of an SDK span id: the first 8 bytes of its SHA-256. */
export function otelSpanId(openAiSpanId: string): string {
  return sha256Hex(openAiSpanId).slice(0, 16);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
