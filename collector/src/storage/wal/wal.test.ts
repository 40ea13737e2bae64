import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Wal } from './wal.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agentflow-wal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const segments = () => readdirSync(dir).filter((f) => f.endsWith('.wal')).sort();

describe('Wal', () => {
  it('gives back, after a restart, every record appended and not yet completed', async () => {
    const { wal } = await Wal.open(dir, 1 << 20);
    const a = await wal.appendData(1, 2, Buffer.from('first'));
    const b = await wal.appendData(2, 1, Buffer.from('second'));
    await wal.close();
    const { wal: again, recovered } = await Wal.open(dir, 1 << 20);
    expect(recovered.batches).toEqual([]);
    expect(recovered.records.map((r) => [r.id, r.sinkId, r.rows, r.payload.toString()])).toEqual([
      [a, 1, 2, 'first'],
      [b, 2, 1, 'second'],
    ]);
    await again.close();
  });

  it('gives back a batch whose insert began as the same records under the same token', async () => {
    const { wal } = await Wal.open(dir, 1 << 20);
    const a = await wal.appendData(1, 1, Buffer.from('a'));
    const b = await wal.appendData(1, 1, Buffer.from('b'));
    const loose = await wal.appendData(1, 1, Buffer.from('c'));
    await wal.appendIntent('token-1', [b, a]);
    await wal.close();
    const { wal: again, recovered } = await Wal.open(dir, 1 << 20);
    expect(recovered.batches.map((x) => [x.token, x.records.map((r) => r.payload.toString())])).toEqual([['token-1', ['b', 'a']]]);
    expect(recovered.records.map((r) => r.id)).toEqual([loose]);
    await again.close();
  });

  it('forgets completed batches and deletes segments with nothing left open', async () => {
    const { wal } = await Wal.open(dir, 64);
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await wal.appendData(1, 1, Buffer.alloc(40, i)));
    expect(segments().length).toBeGreaterThan(3);
    const intent = await wal.appendIntent('t', ids);
    await wal.complete('t', intent, ids);
    await wal.close();
    expect(segments()).toHaveLength(1); // only the segment still being written
    const { wal: again, recovered } = await Wal.open(dir, 64);
    expect(recovered).toEqual({ batches: [], records: [] });
    await again.close();
  });

  it('drops a torn tail left by a crash mid-write and keeps every intact record', async () => {
    const { wal } = await Wal.open(dir, 1 << 20);
    await wal.appendData(1, 1, Buffer.from('kept'));
    await wal.close();
    const file = join(dir, segments()[0] as string);
    const intactBytes = statSync(file).size;
    appendFileSync(file, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 1, 1])); // header says 200 bytes; 2 follow
    const { wal: again, recovered } = await Wal.open(dir, 1 << 20);
    expect(recovered.records.map((r) => r.payload.toString())).toEqual(['kept']);
    expect(statSync(file).size).toBe(intactBytes);
    await again.close();
  });

  it('treats a record whose checksum does not match as the end of the log', async () => {
    const { wal } = await Wal.open(dir, 1 << 20);
    await wal.appendData(1, 1, Buffer.from('good'));
    await wal.appendData(1, 1, Buffer.from('flipped'));
    await wal.close();
    const file = join(dir, segments()[0] as string);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(file, bytes);
    const { wal: again, recovered } = await Wal.open(dir, 1 << 20);
    expect(recovered.records.map((r) => r.payload.toString())).toEqual(['good']);
    await again.close();
  });

  it('group-commits appends queued together into one write', async () => {
    const { wal } = await Wal.open(dir, 1 << 20);
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => wal.appendData(1, 1, Buffer.from(`r${i}`))));
    expect(new Set(ids).size).toBe(50);
    await wal.close();
    const { wal: again, recovered } = await Wal.open(dir, 1 << 20);
    expect(recovered.records.map((r) => r.payload.toString())).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`));
    await again.close();
  });
});
