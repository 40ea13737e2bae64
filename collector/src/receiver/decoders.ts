import type { LogRow, SpanRow } from '@agentflow/schemas';
import { decodeLogsJson, decodeLogsProto, decodeTracesJson, decodeTracesProto, type DecodeResult } from './otlp/index.js';
import { decodeOpenAiTraces } from './openai-traces/index.js';

/** Reads one export's body into rows stamped with its tenant. */
export type Decoder<Row> = (body: Uint8Array, tenantId: string) => DecodeResult<Row>;

/** The OTLP/HTTP body encodings, as export formats. */
export type OtlpFormat = 'otlp-protobuf' | 'otlp-json';

/** The body formats exports arrive in: OTLP, or the OpenAI Agents SDK's own trace export. */
export type ExportFormat = OtlpFormat | 'openai-traces';

/**
 * The decoder of each format. Decoding is deterministic, so a stored body can be decoded again
 * elsewhere (the assembly thread does: re-reading the bytes costs less than copying decoded rows
 * between threads) and gives the very rows that were stored.
 */
export const SPAN_DECODERS: Readonly<Record<ExportFormat, Decoder<SpanRow>>> = {
  'otlp-protobuf': decodeTracesProto,
  'otlp-json': decodeTracesJson,
  'openai-traces': decodeOpenAiTraces,
};

export const LOG_DECODERS: Readonly<Record<OtlpFormat, Decoder<LogRow>>> = {
  'otlp-protobuf': decodeLogsProto,
  'otlp-json': decodeLogsJson,
};
