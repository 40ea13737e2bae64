import { describe, expect, it } from 'vitest';
import { isoFromNs, msBetween, parseIsoNs } from './time.js';

describe('isoFromNs', () => {
  it('keeps all nine fraction digits', () => {
    expect(isoFromNs('1735787045123456789')).toBe('2025-01-02T03:04:05.123456789Z');
    expect(isoFromNs(1735787045000000001n)).toBe('2025-01-02T03:04:05.000000001Z');
  });
});

describe('parseIsoNs', () => {
  it('reads back what isoFromNs writes', () => {
    expect(parseIsoNs('2025-01-02T03:04:05.123456789Z')).toBe(1735787045123456789n);
  });

  it('reads a date as midnight UTC and honours offsets', () => {
    expect(parseIsoNs('2025-01-02')).toBe(1735776000000000000n);
    expect(parseIsoNs('2025-01-02T02:00+02:00')).toBe(1735776000000000000n);
    expect(parseIsoNs('2025-01-02T00:00:00.5Z')).toBe(1735776000500000000n);
  });

  it.each(['yesterday', '2025-01-02T03:04:05', '2025-13-01', '1735787045', ''])('refuses %j', (text) => {
    expect(parseIsoNs(text)).toBeNull();
  });
});

describe('msBetween', () => {
  it('keeps sub-millisecond precision', () => {
    expect(msBetween(1_000_000n, 3_500_000n)).toBe(2.5);
  });
});
