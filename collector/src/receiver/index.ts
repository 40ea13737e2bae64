export { otlpRoutes, storedHook } from './otlp-routes.js';
export type { OtlpRoutesOptions, RowWriter, StoredHook } from './otlp-routes.js';
