export { otlpRoutes, storedHook } from './otlp-routes.js';
export type { OtlpRoutesOptions, RowWriter, StoredExport, StoredHook } from './otlp-routes.js';
export { LOG_DECODERS, SPAN_DECODERS, type Decoder, type ExportFormat } from './decoders.js';
