export { apiRoutes } from './api-routes.js';
export type { ApiRoutesOptions } from './api-routes.js';
export { checkReadOnly } from './read-only-sql.js';
export type { SqlResponse } from './sql-route.js';
