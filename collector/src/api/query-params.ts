import { z } from 'zod';
import { AgentflowError, ERROR_CODES } from '../errors.js';
import { parseIsoNs } from './sessions/time.js';

/** A free-text query parameter (names, ids): non-empty, bounded. */
export const TEXT_PARAM = z.string().min(1).max(1000);

/** An ISO 8601 date or date-time with a zone, as nanoseconds since the epoch. */
export const ISO_TIME_PARAM = z.string().transform((s, ctx) => {
  const ns = parseIsoNs(s);
  if (ns === null) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO 8601 date or date-time with a zone, e.g. 2025-01-31 or 2025-01-31T12:00:00Z' });
    return z.NEVER;
  }
  return ns;
});

/** A session id (the agent span's id): 16 hex digits, lowercased. */
export const SESSION_ID_PARAM = z.string().regex(/^[0-9a-fA-F]{16}$/, 'a session id is 16 hex digits').transform((s) => s.toLowerCase());

/** A yes/no query parameter: `true`/`1` or `false`/`0`. */
export const FLAG_PARAM = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Default and largest page size of the paged lists (`GET /sessions`, `GET /anomalies`). */
export const PAGE_SIZE = { default: 50, max: 500 } as const;

/** The `limit` of a paged list: 1 to {@link PAGE_SIZE}.max, default {@link PAGE_SIZE}.default. */
export const LIMIT_PARAM = z.coerce.number().int().min(1).max(PAGE_SIZE.max).default(PAGE_SIZE.default);

/**
 * Validates request input (`what`: 'query parameter', 'path', …); a failure is a 400 naming the
 * parameter and the rule it broke, or every unknown parameter, so a misspelt filter is never
 * silently ignored.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue?.path.join('.') ?? '';
  const message = issue?.code === 'unrecognized_keys' ? 'unknown parameter' : issue?.message ?? 'invalid';
  throw new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, `invalid ${what} ${name}: ${message}`);
}
