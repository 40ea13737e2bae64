import { describe, expect, it } from 'vitest';
import { noProgressFindings } from './progress-rule.js';
import type { SessionActivity, Step } from './steps.js';
import { DEFAULT_LOOP_THRESHOLDS } from './thresholds.js';

const MIN = 60_000_000_000n;

/** A tool call ending at `minute` with result `result` ('' when not captured). */
function call(id: string, minute: number, result: string): Step {
  const endNs = BigInt(minute) * MIN;
  return { spanId: id, actionType: 'tool_call', name: 'poll', key: 'k', resultKey: result, failed: false, errorType: '', outputKey: '', startNs: endNs - 1n, endNs };
}

const activity = (steps: Step[], states: SessionActivity['states'] = []): SessionActivity => ({ steps, states, hops: [] });

describe('stuck.no_progress', () => {
  it('finds actions going on for 10 minutes with nothing new, from the first action after the last progress', () => {
    const steps = [call('a', 0, 'r1'), ...Array.from({ length: 11 }, (_, i) => call(`s${i + 1}`, i + 1, 'r1'))];
    const [finding, ...rest] = noProgressFindings(activity(steps), DEFAULT_LOOP_THRESHOLDS);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ kind: 'stuck.no_progress', severity: 'warning', count: 11, detectedNs: 10n * MIN, lastSeenNs: 11n * MIN, resolvedNs: null });
    expect(finding?.evidence[0]).toBe('s1');
  });

  it('is resolved by a new result, and a new state is progress too', () => {
    const steps = [call('a', 0, 'r1'), ...Array.from({ length: 10 }, (_, i) => call(`s${i + 1}`, i + 1, 'r1')), call('new', 12, 'r2')];
    expect(noProgressFindings(activity(steps), DEFAULT_LOOP_THRESHOLDS).map((f) => f.resolvedNs)).toEqual([12n * MIN]);
    const withState = activity(steps.slice(0, 11), [{ state: 'waiting', spanId: 'x', atNs: 5n * MIN }]);
    expect(noProgressFindings(withState, DEFAULT_LOOP_THRESHOLDS)).toEqual([]);
  });

  it('stays quiet for a session that shows no progress signals at all (no states, nothing captured)', () => {
    const steps = Array.from({ length: 30 }, (_, i) => call(`s${i}`, i, ''));
    expect(noProgressFindings(activity(steps), DEFAULT_LOOP_THRESHOLDS)).toEqual([]);
  });
});
