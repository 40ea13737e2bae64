import type { LogRow, SpanRow } from '@agentflow/schemas';
import { decodeLogsJson, decodeLogsProto, decodeTracesJson, decodeTracesProto, type DecodeResult } from './otlp/index.js';

/** Reads one export's body into rows stamped with its tenant. */
export type Decoder<Row> = (body: Uint8Array, tenantId: string) => DecodeResult<Row>;

/** The body formats exports arrive in. */
export type ExportFormat = 'otlp-protobuf' | 'otlp-json';

/**
 * The decoder of each format. Decoding is deterministic, so a stored body can be decoded again
 * elsewhere (the assembly thread does: re-reading the bytes costs less than copying decoded rows
 * between threads) and gives the very rows that were stored.
 */
export const SPAN_DECODERS: Readonly<Record<ExportFormat, Decoder<SpanRow>>> = {
  'otlp-protobuf': decodeTracesProto,
  'otlp-json': decodeTracesJson,
};

export const LOG_DECODERS: Readonly<Record<ExportFormat, Decoder<LogRow>>> = {
  'otlp-protobuf': decodeLogsProto,
  'otlp-json': decodeLogsJson,
};
