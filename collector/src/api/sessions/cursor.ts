/**
 * The opaque page cursor of `GET /sessions`: the position of the last row of a page in the
 * list's order (started_at desc, session_id desc). The next page is what sorts after it, so
 * sessions stored meanwhile neither shift pages nor repeat rows (keyset pagination).
 */
export interface CursorPosition {
  /** The row's started_at, nanoseconds since the epoch. */
  startedNs: bigint;
  sessionId: string;
}

/** Encodes a position as URL-safe text. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.startedNs.toString(), position.sessionId]), 'utf8').toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}; null for anything else. */
export function decodeCursor(cursor: string): CursorPosition | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [ns, id] = value as unknown[];
    if (typeof ns !== 'string' || !/^\d{1,20}$/.test(ns) || typeof id !== 'string' || id.length > 128) return null;
    return { startedNs: BigInt(ns), sessionId: id };
  } catch {
    return null;
  }
}
