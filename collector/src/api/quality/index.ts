export { qualityRoutes } from './quality-routes.js';
export type { QualityRoutesOptions } from './quality-routes.js';
export type { PoorResponse, PoorResponsesPage } from './poor-responses.js';
