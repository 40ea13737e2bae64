export { otlpRoutes, storedHook } from './otlp-routes.js';
export type { OtlpRoutesOptions, RowWriter, StoredExport, StoredHook } from './otlp-routes.js';
export type { ExportFormat } from './decoders.js';
