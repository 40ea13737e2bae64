import type { FastifyInstance } from 'fastify';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { AgentflowError, ERROR_CODES } from '../../errors.js';
import { DIAGRAM_TYPES, flowDiagram, sequenceDiagram, stateDiagram } from './diagrams.js';
import { LIST_SESSIONS_QUERY, listSessions } from './list-sessions.js';
import { listRunningSessions } from './running-sessions.js';
import { loadRunningDetail } from './running-detail.js';
import { findSession } from './session-queries.js';
import { actionsOf, transitionsOf } from './session-records.js';
import { loadSessionDetail, loadSessionTree, loadTreeInteractions } from './session-detail.js';
import { traceSpans } from './trace-spans.js';
import { parseInput, SESSION_ID_PARAM } from '../query-params.js';

// Session ids are span ids and trace ids are trace ids: lowercase hex of 8 and 16 bytes.
export const SESSION_PARAMS = z.object({ id: SESSION_ID_PARAM });
export const TRACE_PARAMS = z.object({ traceId: z.string().regex(/^[0-9a-fA-F]{32}$/, 'a trace id is 32 hex digits').transform((s) => s.toLowerCase()) });
export const DIAGRAM_QUERY = z.object({
  type: z.enum(DIAGRAM_TYPES).default('sequence'),
  format: z.enum(['text', 'json']).default('text'),
}).strict();

/** What the session routes need. */
export interface SessionRoutesOptions {
  client: ClickHouseClient;
}

/**
 * The session read endpoints under the API prefix: `GET /sessions` (history with filters and a
 * cursor; `status=running`: sessions started and not ended), `GET /sessions/:id` (detail, timeline and anomalies), `GET /sessions/:id/tree`,
 * `GET /sessions/:id/diagram` (Mermaid) and `GET /traces/:traceId` (raw spans). Every query reads
 * only the requesting tenant's rows.
 */
export async function sessionRoutes(app: FastifyInstance, opts: SessionRoutesOptions): Promise<void> {
  const { client } = opts;

  app.get('/sessions', async (request) => {
    const query = parseInput(LIST_SESSIONS_QUERY, request.query, 'query parameter');
    // Derived sessions exist only once a session ended; running ones are known from their start records.
    if (query.status === 'running') return listRunningSessions(client, request.tenantId, query);
    return listSessions(client, request.tenantId, query);
  });

  app.get('/sessions/:id', async (request, reply) => {
    const { id } = parseInput(SESSION_PARAMS, request.params, 'path');
    // A session is derived once its agent span ended; until then its start record says it runs.
    const detail = (await loadSessionDetail(client, request.tenantId, id)) ?? (await loadRunningDetail(client, request.tenantId, id));
    return detail ?? notFound(`no session with id ${id}`);
  });

  app.get('/sessions/:id/tree', async (request, reply) => {
    const { id } = parseInput(SESSION_PARAMS, request.params, 'path');
    const tree = await loadSessionTree(client, request.tenantId, id);
    return tree ?? notFound(`no session with id ${id}`);
  });

  app.get('/sessions/:id/diagram', async (request, reply) => {
    const { id } = parseInput(SESSION_PARAMS, request.params, 'path');
    const { type, format } = parseInput(DIAGRAM_QUERY, request.query, 'query parameter');
    const tenant = request.tenantId;
    let mermaid: string | null = null;
    if (type === 'sequence') {
      const tree = await loadTreeInteractions(client, tenant, id);
      if (tree) mermaid = sequenceDiagram(tree.sessions, tree.communications, tree.toolCalls);
    } else {
      const session = await findSession(client, tenant, id);
      if (session && type === 'state') mermaid = stateDiagram(session, await transitionsOf(client, tenant, session));
      if (session && type === 'flow') mermaid = flowDiagram(session, await actionsOf(client, tenant, session));
    }
    if (mermaid === null) return notFound(`no session with id ${id}`);
    if (format === 'json') return { type, mermaid };
    return reply.type('text/plain; charset=utf-8').send(`${mermaid}\n`);
  });

  app.get('/traces/:traceId', async (request, reply) => {
    const { traceId } = parseInput(TRACE_PARAMS, request.params, 'path');
    const trace = await traceSpans(client, request.tenantId, traceId);
    return trace.spans.length > 0 ? trace : notFound(`no spans stored for trace ${traceId}`);
  });
}

function notFound(message: string): never {
  throw new AgentflowError(ERROR_CODES.NOT_FOUND, 404, message);
}
