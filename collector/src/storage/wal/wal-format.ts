import { crc32 } from 'node:zlib';

/**
 * On-disk WAL record: `u32 bodyLength | u32 crc32(body) | body`, body = `u8 type | fields`.
 * Little-endian throughout. A record whose length runs past the end of the file or whose CRC does
 * not match is a torn write from a crash: reading stops there.
 */
export const RECORD_TYPE = { DATA: 1, INTENT: 2, DONE: 3 } as const;

const HEADER_BYTES = 8;

/** Rows accepted from one export, encoded for one table. */
export interface DataRecord {
  type: typeof RECORD_TYPE.DATA;
  /** Where the record starts: `segment * 2^32 + offset`, unique while the WAL holds it. */
  id: number;
  sinkId: number;
  rows: number;
  payload: Buffer;
}

/** "Batch `token` is about to be inserted, made of these data records in this order." */
export interface IntentRecord {
  type: typeof RECORD_TYPE.INTENT;
  id: number;
  token: string;
  recordIds: number[];
}

/** "Batch `token` is committed in ClickHouse." */
export interface DoneRecord {
  type: typeof RECORD_TYPE.DONE;
  id: number;
  token: string;
}

export type WalRecord = DataRecord | IntentRecord | DoneRecord;

/** Record id from its segment number and byte offset. */
export function recordId(segment: number, offset: number): number {
  return segment * 2 ** 32 + offset;
}

/** Segment number a record id points into. */
export function segmentOf(id: number): number {
  return Math.floor(id / 2 ** 32);
}

export function encodeData(sinkId: number, rows: number, payload: Buffer): Buffer[] {
  const meta = Buffer.allocUnsafe(6);
  meta.writeUInt8(RECORD_TYPE.DATA, 0);
  meta.writeUInt8(sinkId, 1);
  meta.writeUInt32LE(rows, 2);
  return frame([meta, payload]);
}

export function encodeIntent(token: string, recordIds: readonly number[]): Buffer[] {
  const tokenBytes = Buffer.from(token, 'utf8');
  const body = Buffer.allocUnsafe(1 + 2 + tokenBytes.length + 4 + 8 * recordIds.length);
  let p = body.writeUInt8(RECORD_TYPE.INTENT, 0);
  p = body.writeUInt16LE(tokenBytes.length, p);
  p += tokenBytes.copy(body, p);
  p = body.writeUInt32LE(recordIds.length, p);
  for (const id of recordIds) p = body.writeDoubleLE(id, p);
  return frame([body]);
}

export function encodeDone(token: string): Buffer[] {
  const tokenBytes = Buffer.from(token, 'utf8');
  const body = Buffer.allocUnsafe(3 + tokenBytes.length);
  body.writeUInt8(RECORD_TYPE.DONE, 0);
  body.writeUInt16LE(tokenBytes.length, 1);
  tokenBytes.copy(body, 3);
  return frame([body]);
}

/** Total byte length of framed buffers. */
export function byteLength(parts: readonly Buffer[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

function frame(body: Buffer[]): Buffer[] {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  let crc = 0;
  for (const part of body) crc = crc32(part, crc);
  header.writeUInt32LE(byteLength(body), 0);
  header.writeUInt32LE(crc, 4);
  return [header, ...body];
}

/** Reads every intact record of one segment; `validBytes` is where the intact prefix ends. */
export function decodeSegment(segment: number, bytes: Buffer): { records: WalRecord[]; validBytes: number } {
  const records: WalRecord[] = [];
  let offset = 0;
  while (offset + HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32LE(offset);
    const end = offset + HEADER_BYTES + length;
    if (length === 0 || end > bytes.length) break;
    const body = bytes.subarray(offset + HEADER_BYTES, end);
    if (crc32(body) !== bytes.readUInt32LE(offset + 4)) break;
    const record = decodeBody(recordId(segment, offset), body);
    if (!record) break;
    records.push(record);
    offset = end;
  }
  return { records, validBytes: offset };
}

function decodeBody(id: number, body: Buffer): WalRecord | undefined {
  switch (body[0]) {
    case RECORD_TYPE.DATA:
      return { type: RECORD_TYPE.DATA, id, sinkId: body.readUInt8(1), rows: body.readUInt32LE(2), payload: Buffer.from(body.subarray(6)) };
    case RECORD_TYPE.INTENT: {
      const tokenLength = body.readUInt16LE(1);
      const token = body.toString('utf8', 3, 3 + tokenLength);
      let p = 3 + tokenLength;
      const count = body.readUInt32LE(p);
      p += 4;
      const recordIds: number[] = [];
      for (let i = 0; i < count; i++, p += 8) recordIds.push(body.readDoubleLE(p));
      return { type: RECORD_TYPE.INTENT, id, token, recordIds };
    }
    case RECORD_TYPE.DONE:
      return { type: RECORD_TYPE.DONE, id, token: body.toString('utf8', 3, 3 + body.readUInt16LE(1)) };
    default:
      return undefined;
  }
}
