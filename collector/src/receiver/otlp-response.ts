/**
 * OTLP/HTTP response bodies, in the request's encoding. Success is an Export*ServiceResponse
 * (empty, or carrying `partial_success`); failure is a `google.rpc.Status`, as the OTLP/HTTP
 * specification requires for 4xx/5xx answers.
 */

/** The two OTLP/HTTP body encodings. */
export type OtlpEncoding = 'protobuf' | 'json';

/** The signal an export carries: its partial-success counter is named after it. */
export type OtlpSignal = 'traces' | 'logs';

const REJECTED_FIELD: Record<OtlpSignal, string> = { traces: 'rejectedSpans', logs: 'rejectedLogRecords' };

/** gRPC status codes used in `google.rpc.Status.code`. */
export const GRPC_CODE = { INVALID_ARGUMENT: 3, RESOURCE_EXHAUSTED: 8, INTERNAL: 13, UNAVAILABLE: 14 } as const;

/** Content-Type header value for an encoding. */
export function contentTypeOf(encoding: OtlpEncoding): string {
  return encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json';
}

/** A successful export answer; with `rejected > 0` it carries `partial_success`. */
export function exportResponse(encoding: OtlpEncoding, signal: OtlpSignal, rejected: number, errorMessage: string): Buffer | string {
  if (encoding === 'json') {
    if (rejected === 0) return '{}';
    // proto3 JSON renders int64 as a decimal string.
    return JSON.stringify({ partialSuccess: { [REJECTED_FIELD[signal]]: String(rejected), errorMessage } });
  }
  if (rejected === 0) return Buffer.alloc(0);
  // Export*PartialSuccess { int64 rejected_* = 1; string error_message = 2; } in field 1 of the response.
  const inner = Buffer.concat([tagVarint(1, rejected), tagBytes(2, Buffer.from(errorMessage, 'utf8'))]);
  return tagBytes(1, inner);
}

/** A `google.rpc.Status { int32 code = 1; string message = 2; }` error body. */
export function statusResponse(encoding: OtlpEncoding, grpcCode: number, message: string): Buffer | string {
  if (encoding === 'json') return JSON.stringify({ code: grpcCode, message });
  return Buffer.concat([tagVarint(1, grpcCode), tagBytes(2, Buffer.from(message, 'utf8'))]);
}

function varint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

function tagVarint(field: number, value: number): Buffer {
  return Buffer.concat([varint(field << 3), varint(value)]);
}

function tagBytes(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}
