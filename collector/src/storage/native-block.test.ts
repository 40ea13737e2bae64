import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from 'chdb';
import {
  array, BOOL, column, encodeNativeBlock, FLOAT32, FLOAT64, INT32, nullable, STRING, STRING_MAP, TIME_NS, UINT16, UINT32,
  UINT64, UINT64_NUMBER, UINT8, type NativeColumn,
} from './native-block.js';

/**
 * Our Native blocks must be byte for byte what the engine itself writes for the same values, so
 * each codec is checked against `SELECT … FORMAT Native` of the real engine.
 */
let dir: string;
let session: Session;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'agentflow-native-'));
  session = new Session(dir);
});
afterAll(() => {
  session.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function engineBlock(select: string): Promise<Buffer> {
  return Buffer.from((await session.queryAsync(`${select} FORMAT Native`, { format: 'Native' })).bytes());
}

interface Row {
  s: string;
  u8: number;
  u16: number;
  u32: number;
  i32: number;
  n64: number;
  b64: bigint;
  f32: number;
  f64: number;
  t: bigint;
  flag: boolean;
  maybe: number | null;
  list: string[];
  attrs: Record<string, string>;
  events: Record<string, string>[];
}

const COLUMNS: NativeColumn<Row>[] = [
  column('s', STRING, (r) => r.s),
  column('u8', UINT8, (r) => r.u8),
  column('u16', UINT16, (r) => r.u16),
  column('u32', UINT32, (r) => r.u32),
  column('i32', INT32, (r) => r.i32),
  column('n64', UINT64_NUMBER, (r) => r.n64),
  column('b64', UINT64, (r) => r.b64),
  column('f32', FLOAT32, (r) => r.f32),
  column('f64', FLOAT64, (r) => r.f64),
  column('t', TIME_NS, (r) => r.t),
  column('flag', BOOL, (r) => r.flag),
  column('maybe', nullable(FLOAT64, 0), (r) => r.maybe),
  column('list', array(STRING), (r) => r.list),
  column('attrs', STRING_MAP, (r) => r.attrs),
  column('events', array(STRING_MAP), (r) => r.events),
];

const ROWS: Row[] = [
  {
    s: 'héllo wörld, a string past the one-byte-length limit of forty-two chars', u8: 255, u16: 65_535, u32: 4_000_000_000,
    i32: -7, n64: 2 ** 40 + 3, b64: 18_446_744_073_709_551_615n, f32: 0.5, f64: -1.25, t: 1_763_700_000_123_456_789n,
    flag: true, maybe: null, list: ['a', ''], attrs: { 'gen_ai.system': 'openai', k: 'v' }, events: [{ x: '1' }, {}],
  },
  {
    s: '', u8: 0, u16: 1, u32: 0, i32: 2_147_483_647, n64: 0, b64: 1n, f32: -2, f64: 3.5e-9, t: 0n,
    flag: false, maybe: 0.75, list: [], attrs: {}, events: [],
  },
];

/**
 * Each column of ROWS as the engine's type and a SQL literal per row; a NULL's placeholder value
 * is written as the type's default (our codec writes the zero it is given, 0 here).
 */
const ENGINE_COLUMNS: [name: string, type: string, first: string, second: string][] = [
  ['s', 'String', `'${ROWS[0]?.s}'`, "''"],
  ['u8', 'UInt8', '255', '0'],
  ['u16', 'UInt16', '65535', '1'],
  ['u32', 'UInt32', '4000000000', '0'],
  ['i32', 'Int32', '-7', '2147483647'],
  ['n64', 'UInt64', String(2 ** 40 + 3), '0'],
  ['b64', 'UInt64', '18446744073709551615', '1'],
  ['f32', 'Float32', '0.5', '-2'],
  ['f64', 'Float64', '-1.25', '3.5e-9'],
  ['t', 'DateTime64(9)', 'fromUnixTimestamp64Nano(1763700000123456789)', 'fromUnixTimestamp64Nano(0)'],
  ['flag', 'UInt8', '1', '0'],
  ['maybe', 'Nullable(Float64)', 'nullIf(0, 0)', '0.75'],
  ['list', 'Array(String)', "['a', '']", '[]'],
  ['attrs', 'Map(String, String)', "map('gen_ai.system', 'openai', 'k', 'v')", 'map()'],
  ['events', 'Array(Map(String, String))', "[map('x', '1'), map()]", '[]'],
];
const ENGINE_SELECT = `SELECT ${ENGINE_COLUMNS.map(([name, type, first, second]) =>
  `CAST(arrayElement([CAST(${first} AS ${type}), CAST(${second} AS ${type})], number + 1) AS ${type}) AS ${name}`).join(', ')} FROM numbers(2)`;

describe('encodeNativeBlock', () => {
  it('writes every codec exactly as the engine does', async () => {
    expect(encodeNativeBlock(COLUMNS, ROWS)).toEqual(await engineBlock(ENGINE_SELECT));
  });

  it('writes a map shared by consecutive rows as it writes equal separate maps', async () => {
    const mapColumn = [column<{ m: Record<string, string> }, Record<string, string>>('m', STRING_MAP, (r) => r.m)];
    const shared = { 'service.name': 'svc', 'host.name': 'h1', 'ünï': 'cödé' };
    const other = { k: 'v' };
    const sharing = [shared, shared, other, shared, shared, shared].map((m) => ({ m }));
    const copies = sharing.map((r) => ({ m: { ...r.m } }));
    const block = encodeNativeBlock(mapColumn, sharing);
    expect(block).toEqual(encodeNativeBlock(mapColumn, copies));
    const file = join(dir, 'shared-maps.native');
    writeFileSync(file, block);
    const rows = (await session.queryAsync(`SELECT m FROM file('${file}', Native)`, { format: 'JSONEachRow' })).text();
    expect(rows.trim().split('\n').map((l) => JSON.parse(l).m)).toEqual(sharing.map((r) => r.m));
  });

  it('yields a valid Native stream when blocks are concatenated, as a batch of exports is', async () => {
    const stream = Buffer.concat([encodeNativeBlock(COLUMNS, ROWS.slice(0, 1)), encodeNativeBlock(COLUMNS, ROWS.slice(1))]);
    const file = join(dir, 'two-blocks.native');
    writeFileSync(file, stream);
    const rows = (await session.queryAsync(`SELECT s, maybe, length(events) AS e FROM file('${file}', Native)`, { format: 'JSONEachRow' })).text();
    expect(rows.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { s: ROWS[0]?.s, maybe: null, e: 2 },
      { s: '', maybe: 0.75, e: 0 },
    ]);
  });
});
