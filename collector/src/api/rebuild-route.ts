import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AgentflowError, ERROR_CODES } from '../errors.js';
import { parseSince, rebuild, type RebuildDeps } from '../assembly/rebuild.js';
import { replyNdjson } from './ndjson-reply.js';

export const REBUILD_BODY = z.object({ since: z.string().min(1) });

/**
 * `POST /api/v1/admin/rebuild` `{ since }`: re-derives the caller's tenant's agent records from raw spans.
 * Answers with newline-delimited JSON: a progress line per page of traces, then `{ done: true, … }`,
 * so a long rebuild shows it is moving.
 */
export async function rebuildRoute(app: FastifyInstance, deps: RebuildDeps): Promise<void> {
  app.post('/admin/rebuild', async (request, reply) => {
    const body = REBUILD_BODY.safeParse(request.body);
    if (!body.success) throw new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, 'body must be JSON {"since": "1h" | "<ISO time>"}');
    const since = parseSince(body.data.since, Date.now());
    if (!since.ok) throw new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, since.error);
    await replyNdjson(request, reply, 'rebuild', async (line) => ({
      tenants: await rebuild(deps, since.ns, [request.tenantId], (p) => line({ progress: p })),
    }));
    return reply;
  });
}
