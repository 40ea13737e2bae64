import { describe, expect, it } from 'vitest';
import { formatDouble, int64ToDecimal, jsonObject, jsonString } from './value-format.js';

const reference = (lo: number, hi: number) => BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString();

describe('int64ToDecimal', () => {
  it('is exact on both sides of every fast-path boundary', () => {
    const his = [0, 1, 0x1fffff, 0x200000, 0x7fffffff, 0x80000000, 0xffdfffff, 0xffe00000, 0xfffffffe, 0xffffffff];
    const los = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff];
    for (const hi of his) for (const lo of los) expect(int64ToDecimal(lo, hi), `${hi}:${lo}`).toBe(reference(lo, hi));
  });

  it('matches BigInt on random values', () => {
    let seed = 1;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 10_000; i++) {
      const lo = next();
      const hi = next();
      expect(int64ToDecimal(lo, hi)).toBe(reference(lo, hi));
    }
  });
});

describe('formatDouble', () => {
  it('prints the shortest round-trip decimal, as Go formats float64 for the exporter', () => {
    expect([0.1, 1, -2.5, 1e20, 1e21, 1e-6, 1e-7, 123456789.125, -0, 0].map(formatDouble)).toEqual([
      '0.1', '1', '-2.5', '100000000000000000000', '1e+21', '0.000001', '1e-7', '123456789.125', '-0', '0',
    ]);
  });
});

describe('JSON rendering', () => {
  it('escapes strings as Go encoding/json does', () => {
    expect(jsonString('a"b\\c\n\t\u0001<>&\u2028\u2029é')).toBe('"a\\"b\\\\c\\n\\t\\u0001\\u003c\\u003e\\u0026\\u2028\\u2029é"');
  });

  it('sorts object keys', () => {
    expect(jsonObject(new Map([['b', '1'], ['a', '"x"'], ['B', 'null']]))).toBe('{"B":null,"a":"x","b":1}');
  });
});
