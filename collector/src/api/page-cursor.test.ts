import { describe, expect, it } from 'vitest';
import { CURSOR_PARAM, decodeCursor, encodeCursor } from './page-cursor.js';

describe('page cursor', () => {
  it('round-trips a position, nanoseconds exact', () => {
    const position = { ns: 1735787045123456789n, id: '00f067aa0ba902b7' };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it('reads cursors issued before it was shared by the anomaly list (same encoding)', () => {
    expect(decodeCursor(Buffer.from('["1735787045123456789","00f067aa0ba902b7"]').toString('base64url'))).toEqual({ ns: 1735787045123456789n, id: '00f067aa0ba902b7' });
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['base64 of something else', Buffer.from('{"a":1}').toString('base64url')],
    ['a negative time', Buffer.from('["-5","x"]').toString('base64url')],
    ['empty', ''],
  ])('rejects %s', (_what, cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
    expect(CURSOR_PARAM.safeParse(cursor).success).toBe(false);
  });
});
