/**
 * Raw telemetry rows, as the receiver decodes them and the writer stores them.
 *
 * These are plain interfaces rather than zod schemas: they are built by our own decoders on the
 * hot ingest path (tens of thousands per second), where validating each row again would only
 * repeat what the decoder already enforced.
 */

/** Attribute map with every value rendered as a string, as the OTel ClickHouse exporter stores it. */
export type AttributeMap = Record<string, string>;

/** One span event (`Events.*` nested columns). */
export interface SpanEventRow {
  /** Event time, nanoseconds since the Unix epoch. */
  timeUnixNano: bigint;
  name: string;
  attributes: AttributeMap;
}

/** One span link (`Links.*` nested columns). */
export interface SpanLinkRow {
  /** Lowercase hex, 32 characters. */
  traceId: string;
  /** Lowercase hex, 16 characters. */
  spanId: string;
  traceState: string;
  attributes: AttributeMap;
}

/** One row of `otel_traces`: a span with its resource and scope flattened onto it. */
export interface SpanRow {
  tenantId: string;
  /** Span start, nanoseconds since the Unix epoch (column `Timestamp`). */
  startTimeUnixNano: bigint;
  /** Span end, nanoseconds since the Unix epoch; `Duration` is end − start. */
  endTimeUnixNano: bigint;
  /** Lowercase hex, 32 characters. */
  traceId: string;
  /** Lowercase hex, 16 characters. */
  spanId: string;
  /** Lowercase hex, 16 characters, or '' for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  /** `Unspecified`, `Internal`, `Server`, `Client`, `Producer` or `Consumer` (the exporter's spelling). */
  kind: SpanKindName;
  /** Resource attribute `service.name`, or '' when absent. */
  serviceName: string;
  resourceAttributes: AttributeMap;
  scopeName: string;
  scopeVersion: string;
  attributes: AttributeMap;
  /** `Unset`, `Ok` or `Error` (the exporter's spelling). */
  statusCode: StatusCodeName;
  statusMessage: string;
  events: SpanEventRow[];
  links: SpanLinkRow[];
}

/** One row of `otel_logs`: a log record (or event) with its resource and scope flattened onto it. */
export interface LogRow {
  tenantId: string;
  /** Record time (`time_unix_nano`, or the observed time when that is 0), ns since the epoch. */
  timeUnixNano: bigint;
  /** Lowercase hex, or '' when the record is not tied to a span. */
  traceId: string;
  spanId: string;
  traceFlags: number;
  severityText: string;
  severityNumber: number;
  serviceName: string;
  /** A string body as is; any other body as JSON. */
  body: string;
  resourceAttributes: AttributeMap;
  scopeName: string;
  scopeVersion: string;
  scopeAttributes: AttributeMap;
  attributes: AttributeMap;
  /** OTLP `event_name` (field 12), or '' when absent. */
  eventName: string;
}

/** Span kind names in `otel_traces.SpanKind`, indexed by the OTLP enum value. */
export const SPAN_KIND_NAMES = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'] as const;
export type SpanKindName = (typeof SPAN_KIND_NAMES)[number];

/** Status code names in `otel_traces.StatusCode`, indexed by the OTLP enum value. */
export const STATUS_CODE_NAMES = ['Unset', 'Ok', 'Error'] as const;
export type StatusCodeName = (typeof STATUS_CODE_NAMES)[number];
