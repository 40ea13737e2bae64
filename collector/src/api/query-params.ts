import { z } from 'zod';
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
