import { capEvidence, isModelCall, type Finding, type SessionActivity } from './steps.js';
import type { LoopThresholds } from './thresholds.js';

/** One element of a sequence checked for ping-pong: what it is, what to call it, and when it happened. */
interface Element {
  key: string;
  label: string;
  spanId: string;
  atNs: bigint;
}

/**
 * `loop.ping_pong`: a pattern of period 2 or 3 (A,B,A,B,A,B) repeated `pingPongRepeats` times, over
 * the session's action keys, over the agents that took over (A → B → A), and over its states.
 */
export function pingPongFindings(activity: SessionActivity, t: LoopThresholds): Finding[] {
  const actions = activity.steps.filter((s) => !isModelCall(s)).map((s) => ({ key: s.key, label: s.name, spanId: s.spanId, atNs: s.endNs }));
  const agents = activity.hops.map((h) => ({ key: h.agent, label: h.agent, spanId: h.spanId, atNs: h.atNs }));
  const states = activity.states.map((s) => ({ key: s.state, label: s.state, spanId: s.spanId, atNs: s.atNs }));
  return [
    ...periodic(actions, t, 'actions', (names, n) => `alternating between ${names.join(', ')} ${n} times`),
    ...periodic(agents, t, 'agents', (names, n) => `control passed ${[...names, names[0]].join(' → ')} ${n} times`),
    ...periodic(states, t, 'states', (names, n) => `states ${[...names, names[0]].join(' → ')} repeated ${n} times`),
  ];
}

function periodic(seq: readonly Element[], t: LoopThresholds, what: string, describe: (names: string[], n: number) => string): Finding[] {
  const findings: Finding[] = [];
  for (const period of [2, 3]) {
    let start = 0;
    for (let i = period; i <= seq.length; i++) {
      if (i < seq.length && (seq[i] as Element).key === (seq[i - period] as Element).key) continue;
      // seq[start, i) repeats with this period; it counts once every element of one period differs from its neighbour.
      const region = seq.slice(start, i);
      const repeats = Math.floor(region.length / period);
      if (repeats >= t.pingPongRepeats && hasPeriod(region.slice(0, period))) {
        const pattern = region.slice(0, period);
        findings.push({
          kind: 'loop.ping_pong',
          severity: repeats >= t.repeatCritical ? 'critical' : 'warning',
          detail: describe(pattern.map((e) => e.label), repeats),
          evidence: capEvidence(region.map((e) => e.spanId)),
          count: repeats,
          discriminator: `${what}:${pattern.map((e) => e.key).join('|')}`,
          detectedNs: (region[period * t.pingPongRepeats - 1] as Element).atNs,
          lastSeenNs: (region.at(-1) as Element).atNs,
          resolvedNs: seq[i]?.atNs ?? null,
        });
      }
      start = Math.max(start, i - period + 1);
    }
  }
  return findings;
}

/** True when no two neighbours in one period are the same: A,B (not A,A) and A,B,C or A,B,A… cyclically distinct. */
function hasPeriod(pattern: readonly Element[]): boolean {
  return pattern.every((e, i) => e.key !== (pattern[(i + 1) % pattern.length] as Element).key);
}

/** `loop.repeated_output`: the same model output `repeatedOutputs` times with no tool result between them. */
export function repeatedOutputFindings(activity: SessionActivity, t: LoopThresholds): Finding[] {
  const findings = new Map<string, Finding>();
  let seen = new Map<string, string[]>();
  for (const step of activity.steps) {
    if (!isModelCall(step)) {
      // A tool result gives the model something new: what repeated before it is over.
      for (const f of findings.values()) f.resolvedNs ??= step.endNs;
      seen = new Map();
      continue;
    }
    if (step.outputKey === '') continue;
    const ids = [...(seen.get(step.outputKey) ?? []), step.spanId];
    seen.set(step.outputKey, ids);
    if (ids.length < t.repeatedOutputs) continue;
    const discriminator = `${step.outputKey}:${ids[0]}`;
    findings.set(discriminator, {
      kind: 'loop.repeated_output',
      severity: 'warning',
      detail: `the model gave the same answer ${ids.length} times with no tool result between them`,
      evidence: capEvidence(ids),
      count: ids.length,
      discriminator,
      detectedNs: findings.get(discriminator)?.detectedNs ?? step.endNs,
      lastSeenNs: step.endNs,
      resolvedNs: null,
    });
  }
  return [...findings.values()];
}

/** `loop.state_revisit`: a state entered more than `maxStateVisits` times. */
export function stateRevisitFindings(activity: SessionActivity, t: LoopThresholds): Finding[] {
  const visits = new Map<string, SessionActivity['states']>();
  for (const entry of activity.states) visits.set(entry.state, [...(visits.get(entry.state) ?? []), entry]);
  const findings: Finding[] = [];
  for (const [state, entries] of visits) {
    if (entries.length <= t.maxStateVisits) continue;
    findings.push({
      kind: 'loop.state_revisit',
      severity: 'warning',
      detail: `state ${state} entered ${entries.length} times (at most ${t.maxStateVisits} expected)`,
      evidence: capEvidence([...new Set(entries.map((e) => e.spanId))]),
      count: entries.length,
      discriminator: state,
      detectedNs: (entries[t.maxStateVisits] as SessionActivity['states'][number]).atNs,
      lastSeenNs: (entries.at(-1) as SessionActivity['states'][number]).atNs,
      // Visits cannot be taken back: it stays open until the session ends.
      resolvedNs: null,
    });
  }
  return findings;
}
