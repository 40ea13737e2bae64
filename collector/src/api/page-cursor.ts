import { z } from 'zod';

/**
 * The opaque page cursor of the newest-first lists (`GET /sessions`, `GET /anomalies`): the
 * position of the last row of a page in the list's order — its time descending, then its id
 * descending. The next page is what sorts after it, so rows stored meanwhile neither shift pages
 * nor repeat rows (keyset pagination).
 */
export interface PagePosition {
  /** The row's time (a session's start, an anomaly's detection), nanoseconds since the epoch. */
  ns: bigint;
  /** The row's id, which orders rows of the same instant. */
  id: string;
}

/** Encodes a position as URL-safe text. */
export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.ns.toString(), position.id]), 'utf8').toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}; null for anything else. */
export function decodeCursor(cursor: string): PagePosition | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [ns, id] = value as unknown[];
    if (typeof ns !== 'string' || !/^\d{1,20}$/.test(ns) || typeof id !== 'string' || id.length > 128) return null;
    return { ns: BigInt(ns), id };
  } catch {
    return null;
  }
}

/** The `cursor` query parameter: decoded, or a 400 saying where a valid one comes from. */
export const CURSOR_PARAM = z.string().transform((s, ctx) => {
  const position = decodeCursor(s);
  if (position === null) {
    ctx.addIssue({ code: 'custom', message: 'not a cursor this server issued: pass next_cursor from the previous page unchanged' });
    return z.NEVER;
  }
  return position;
});

/**
 * The SQL condition "sorts after `position`" in (timeColumn desc, idColumn desc) order, binding
 * `cursor_ns` and `cursor_id` (see {@link cursorParams}). Spelt with a plain upper bound on the
 * time first, so it can prune partitions and granules.
 */
export function afterCursor(timeColumn: string, idColumn: string): string {
  return `${timeColumn} <= fromUnixTimestamp64Nano({cursor_ns:Int64})
    AND (${timeColumn} < fromUnixTimestamp64Nano({cursor_ns:Int64}) OR ${idColumn} < {cursor_id:String})`;
}

/** The parameters {@link afterCursor} binds. */
export function cursorParams(position: PagePosition): Record<string, unknown> {
  return { cursor_ns: position.ns.toString(), cursor_id: position.id };
}
