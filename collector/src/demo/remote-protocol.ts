import { z } from 'zod';

/**
 * The one message the demo sends to the hotel agent's process on stdin (a JSON line): where to
 * export, as whom, the task, and the orchestrator's W3C trace context. The API key travels here
 * rather than in argv or the environment, where other processes on the machine could read it.
 */
export const REMOTE_TASK = z.object({
  endpoint: z.url(),
  headers: z.record(z.string(), z.string()),
  serviceInstanceId: z.string().min(1),
  heartbeatIntervalMs: z.number().int().nonnegative(),
  paceScale: z.number().nonnegative(),
  conversationId: z.string(),
  task: z.object({ requestId: z.string(), taskId: z.string() }),
  /** `traceparent` (and `tracestate`) of the delegating session. */
  carrier: z.record(z.string(), z.string()),
});

/** What the parent sends. */
export type RemoteTask = z.infer<typeof REMOTE_TASK>;

/** The one JSON line the hotel agent's process answers with on stdout before it flushes and exits. */
export const REMOTE_REPLY = z.union([
  z.object({ ok: z.literal(true), summary: z.string(), sessionId: z.string() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

/** What the child answers. */
export type RemoteReply = z.infer<typeof REMOTE_REPLY>;
