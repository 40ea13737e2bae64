import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Answers with newline-delimited JSON while `work` runs: `work` writes progress lines, and the
 * stream ends with `{ done: true, …result }` or `{ done: false, error }`. Long admin jobs use it so
 * the caller sees them moving; the status is 200 once streaming has begun.
 */
export async function replyNdjson(
  request: FastifyRequest, reply: FastifyReply, what: string, work: (line: (value: unknown) => void) => Promise<Record<string, unknown>>,
): Promise<void> {
  // Progress is streamed: take the response over from Fastify's serializer.
  reply.hijack();
  reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const line = (value: unknown) => reply.raw.write(`${JSON.stringify(value)}\n`);
  try {
    line({ done: true, ...(await work(line)) });
  } catch (err) {
    request.log.error({ err }, `${what} failed`);
    line({ done: false, error: (err as Error).message });
  }
  reply.raw.end();
}
