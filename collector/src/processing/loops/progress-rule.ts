import { capEvidence, type Finding, type SessionActivity, type Step } from './steps.js';
import type { LoopThresholds } from './thresholds.js';

/** Nanoseconds in a millisecond. */
const NS_PER_MS = 1_000_000n;

/**
 * `stuck.no_progress`: the session keeps acting, but for `noProgressMs` nothing it did was new —
 * no state entered, no result or model output it had not had before. Each such stretch is one
 * finding, from the first action after the last progress; it is resolved by the next progress.
 * Only sessions that show progress at all (states, or captured results and outputs) are judged:
 * without them every long session would look stuck.
 */
export function noProgressFindings(activity: SessionActivity, t: LoopThresholds): Finding[] {
  const progress = progressTimes(activity);
  if (progress.length === 0) return [];
  const limit = BigInt(t.noProgressMs) * NS_PER_MS;
  const findings: Finding[] = [];
  let p = 0;
  let since = progress[0] as bigint;
  let stretch: Step[] = [];
  const close = (resolvedNs: bigint | null) => {
    const last = stretch.at(-1);
    if (last && last.endNs - since >= limit) {
      const completing = stretch.find((s) => s.endNs - since >= limit) as Step;
      findings.push({
        kind: 'stuck.no_progress',
        severity: 'warning',
        detail: `${stretch.length} actions over ${Math.round(Number(last.endNs - since) / 60e9)} min with no new state, result or output`,
        evidence: capEvidence(stretch.map((s) => s.spanId)),
        count: stretch.length,
        discriminator: 'progress',
        detectedNs: completing.endNs,
        lastSeenNs: last.endNs,
        resolvedNs,
      });
    }
    stretch = [];
  };
  for (const step of activity.steps) {
    // Progress made up to this step's end starts a new stretch.
    let moved: bigint | null = null;
    while (p < progress.length && (progress[p] as bigint) <= step.endNs) moved = progress[p++] as bigint;
    if (moved !== null && moved > since) {
      close(moved);
      since = moved;
    }
    if (step.endNs > since) stretch.push(step);
  }
  close(null);
  return findings;
}

/** When the session made progress, in order: each state entered, and each first-seen result or output. */
function progressTimes(activity: SessionActivity): bigint[] {
  const times = activity.states.map((s) => s.atNs);
  const seen = new Set<string>();
  for (const step of activity.steps) {
    const key = step.outputKey || step.resultKey;
    if (key === '' || step.failed || seen.has(key)) continue;
    seen.add(key);
    times.push(step.endNs);
  }
  return times.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
