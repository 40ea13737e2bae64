import type { FastifyInstance } from 'fastify';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { AgentflowError, ERROR_CODES } from '../errors.js';
import { parseSince } from '../assembly/rebuild.js';
import { purgeBefore } from '../storage/index.js';
import { replyNdjson } from './ndjson-reply.js';

export const PURGE_BODY = z.object({ before: z.string().min(1) });

/**
 * `POST /api/v1/admin/purge` `{ before }`: deletes the caller's tenant's raw and derived rows
 * older than `before` (a duration back from now, or an ISO time). Answers newline-delimited JSON,
 * a line per table as it is done, then `{ done: true }`.
 */
export async function purgeRoute(app: FastifyInstance, opts: { client: ClickHouseClient }): Promise<void> {
  app.post('/admin/purge', async (request, reply) => {
    const body = PURGE_BODY.safeParse(request.body);
    if (!body.success) throw new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, 'body must be JSON {"before": "30d" | "<ISO time>"}');
    const before = parseSince(body.data.before, Date.now());
    if (!before.ok) throw new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, before.error.replace('since', 'before'));
    await replyNdjson(request, reply, 'purge', async (line) => {
      await purgeBefore(opts.client, request.tenantId, before.ns, (t) => line({ purged: t.table }));
      return { before: new Date(Number(before.ns / 1_000_000n)).toISOString() };
    });
  });
}
