export { otlpRoutes } from './otlp-routes.js';
export type { OtlpRoutesOptions, RowWriter } from './otlp-routes.js';
