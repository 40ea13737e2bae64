import type { FastifyInstance } from 'fastify';
import type { ClickHouseClient } from '@clickhouse/client';
import { parseInput } from '../query-params.js';
import { LIST_ANOMALIES_QUERY, listAnomalies, type AnomalyPage } from './list-anomalies.js';

/** What the anomaly routes need. */
export interface AnomalyRoutesOptions {
  client: ClickHouseClient;
}

/**
 * `GET /anomalies` under the API prefix: the requesting tenant's detected problems (loops, stuck
 * sessions, broken budgets, …) with filters and a cursor, newest detected first. Detection
 * itself lives in processing/; this only reads what it stored.
 */
export async function anomalyRoutes(app: FastifyInstance, opts: AnomalyRoutesOptions): Promise<void> {
  const { client } = opts;
  app.get('/anomalies', async (request): Promise<AnomalyPage> => {
    const query = parseInput(LIST_ANOMALIES_QUERY, request.query, 'query parameter');
    return listAnomalies(client, request.tenantId, query);
  });
}
