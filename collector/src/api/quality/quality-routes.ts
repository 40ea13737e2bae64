import type { FastifyInstance } from 'fastify';
import type { ClickHouseClient } from '@clickhouse/client';
import { parseInput } from '../query-params.js';
import { listPoorResponses, POOR_RESPONSES_QUERY, type PoorResponsesPage } from './poor-responses.js';

/** What the quality routes need. */
export interface QualityRoutesOptions {
  client: ClickHouseClient;
  /** Now, in nanoseconds since the epoch (tests pass a fixed clock). */
  nowNs?: () => bigint;
}

/**
 * `GET /quality/poor-responses` under the API prefix: the requesting tenant's model calls whose
 * answers scored under a threshold. Scoring happens at derivation (assembly/quality); this only
 * reads the stored scores.
 */
export async function qualityRoutes(app: FastifyInstance, opts: QualityRoutesOptions): Promise<void> {
  const nowNs = opts.nowNs ?? (() => BigInt(Date.now()) * 1_000_000n);
  app.get('/quality/poor-responses', async (request): Promise<PoorResponsesPage> => {
    const query = parseInput(POOR_RESPONSES_QUERY, request.query, 'query parameter');
    return listPoorResponses(opts.client, request.tenantId, query, nowNs());
  });
}
