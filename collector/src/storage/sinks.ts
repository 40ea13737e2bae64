import { DATABASE, TABLES, type LogRow, type SpanRow } from '@agentflow/schemas';
import type { RowSink } from './batch-writer.js';
import { encodeLogRow, encodeSpanRow, LOG_COLUMNS, SPAN_COLUMNS } from './encode-rows.js';

/** Raw spans into `otel_traces`. */
export const SPAN_SINK: RowSink<SpanRow> = {
  id: 1,
  table: `${DATABASE}.${TABLES.TRACES}`,
  columns: SPAN_COLUMNS,
  encode: encodeSpanRow,
};

/** Raw log records into `otel_logs`. */
export const LOG_SINK: RowSink<LogRow> = {
  id: 2,
  table: `${DATABASE}.${TABLES.LOGS}`,
  columns: LOG_COLUMNS,
  encode: encodeLogRow,
};
