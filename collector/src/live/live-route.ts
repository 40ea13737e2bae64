import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AgentflowError, ERROR_CODES } from '../errors.js';
import type { LiveEvent } from './live-events.js';
import type { LiveHub } from './live-hub.js';

export const LIVE_QUERY = z.object({ agent: z.string().min(1).max(200).optional() }).strict();

/** Bytes a client may lag behind before its events are dropped instead of buffered. */
const MAX_BUFFERED_BYTES = 1 << 20;
const KEEPALIVE_MS = 15_000;

/**
 * `GET /api/v1/live[?agent=]`: server-sent events of the caller's tenant's session starts, state
 * changes, actions and session ends as they are ingested. Event names are the event types; data
 * is the event as JSON. A reader too slow to keep up gets `event: dropped` with the count instead
 * of the events it missed.
 */
export async function liveRoute(app: FastifyInstance, opts: { hub: LiveHub }): Promise<void> {
  app.get('/live', async (request, reply) => {
    const query = LIVE_QUERY.safeParse(request.query ?? {});
    if (!query.success) throw new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, `invalid live stream parameters: ${query.error.issues[0]?.message ?? ''}`);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(': connected\n\n');
    let dropped = 0;
    const sink = (event: LiveEvent): boolean => {
      if (raw.writableLength > MAX_BUFFERED_BYTES) {
        dropped++;
        return false;
      }
      if (dropped > 0) {
        raw.write(`event: dropped\ndata: ${JSON.stringify({ count: dropped })}\n\n`);
        dropped = 0;
      }
      raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      return true;
    };
    const unsubscribe = opts.hub.subscribe({ tenantId: request.tenantId, agent: query.data.agent }, sink);
    if (!unsubscribe) {
      raw.end(`event: error\ndata: ${JSON.stringify({ message: 'too many live stream clients; try again later' })}\n\n`);
      return;
    }
    const keepalive = setInterval(() => raw.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    const close = () => {
      clearInterval(keepalive);
      unsubscribe();
    };
    raw.once('close', close);
    // Shutdown closes the server; open streams must not keep it waiting.
    app.server.once('close', () => raw.end());
  });
}
