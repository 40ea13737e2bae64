export { anomalyRoutes } from './anomaly-routes.js';
export type { AnomalyRoutesOptions } from './anomaly-routes.js';
export type { Anomaly } from './anomaly-rows.js';
export type { AnomalyPage } from './list-anomalies.js';
export type { AnomalyCounts } from './session-anomalies.js';
