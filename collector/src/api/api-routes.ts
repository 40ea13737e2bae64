import type { FastifyError, FastifyInstance } from 'fastify';
import type { ClickHouseClient } from '@clickhouse/client';
import type { SqlConfig } from '../config.js';
import { AgentflowError, ERROR_CODES } from '../errors.js';
import { sqlRoute } from './sql-route.js';
import { rebuildRoute } from './rebuild-route.js';
import { purgeRoute } from './purge-route.js';
import { openApiRoute } from './openapi.js';
import { liveRoute, type LiveHub } from '../live/index.js';
import { sessionRoutes } from './sessions/index.js';
import { analyticsRoutes } from './analytics/index.js';
import { anomalyRoutes } from './anomalies/index.js';
import { qualityRoutes } from './quality/index.js';
import type { RebuildDeps } from '../assembly/rebuild.js';
import type { AlertDispatcher, AnomalyHub } from '../processing/index.js';
import { guardRoute } from './guard-route.js';
import { alertRoutes } from './alerts-route.js';

/** What the REST API needs from the app. */
export interface ApiRoutesOptions {
  client: ClickHouseClient;
  sql: SqlConfig;
  rebuild: RebuildDeps;
  live: LiveHub;
  anomalies: AnomalyHub;
  alerts: Pick<AlertDispatcher, 'rules' | 'sendTest'>;
}

/** The REST API under `/api/v1`: JSON in, JSON out, errors as `{ error: { code, message } }`. */
export async function apiRoutes(app: FastifyInstance, opts: ApiRoutesOptions): Promise<void> {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let e: AgentflowError;
    if (err instanceof AgentflowError) e = err;
    else if (err.statusCode !== undefined && err.statusCode < 500) e = new AgentflowError(ERROR_CODES.BAD_REQUEST, err.statusCode, err.message);
    else {
      request.log.error({ err }, 'unexpected error in the API');
      e = new AgentflowError(ERROR_CODES.INTERNAL, 500, 'internal error');
    }
    return reply.code(e.statusCode).send({ error: { code: e.code, message: e.message } });
  });
  await app.register(sqlRoute, { client: opts.client, sql: opts.sql });
  await app.register(rebuildRoute, opts.rebuild);
  await app.register(purgeRoute, { client: opts.client });
  await app.register(openApiRoute);
  await app.register(liveRoute, { hub: opts.live });
  await app.register(sessionRoutes, { client: opts.client });
  await app.register(analyticsRoutes, { client: opts.client });
  await app.register(anomalyRoutes, { client: opts.client });
  await app.register(qualityRoutes, { client: opts.client });
  await app.register(guardRoute, { client: opts.client, anomalies: opts.anomalies });
  await app.register(alertRoutes, { alerts: opts.alerts });
}
