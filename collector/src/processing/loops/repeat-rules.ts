import { capEvidence, isModelCall, type Finding, type Step } from './steps.js';
import type { LoopThresholds } from './thresholds.js';

/**
 * `loop.repeat_call`, `loop.repeat_error` and `loop.no_progress`: runs of the same action key
 * among the session's actions (model calls between them are how the agent decides to call
 * again, so they do not break a run), and `loop.repeat_call`'s windowed form for repeats with
 * other actions between them.
 */
export function repeatFindings(steps: readonly Step[], t: LoopThresholds): Finding[] {
  const actions = steps.filter((s) => !isModelCall(s));
  const findings: Finding[] = [];
  const inRuns = new Set<string>();
  const runs = runsOf(actions, (s) => s.key);
  runs.forEach((run, r) => {
    const first = run[0] as Step;
    const polling = t.pollingTools.includes(first.name);
    // The action that broke the run: the session moved on.
    const next = (runs[r + 1]?.[0] as Step | undefined)?.endNs ?? null;
    findings.push(...noProgress(run, polling ? t.pollingRepeats : t.noProgressRepeats, next));
    if (polling || run.length < Math.min(t.repeatWarning, t.errorRepeats)) return;
    const allFailed = run.every((s) => s.failed);
    if (allFailed && run.length >= t.errorRepeats) {
      findings.push(runFinding('loop.repeat_error', run, t.errorRepeats, t.repeatCritical, next,
        `${first.name} failed ${run.length} times in a row with the same arguments (${first.errorType || 'error'})`));
      inRuns.add(first.key);
    } else if (!allFailed && run.length >= t.repeatWarning) {
      findings.push(runFinding('loop.repeat_call', run, t.repeatWarning, t.repeatCritical, next,
        `${first.name} called ${run.length} times in a row with the same arguments`));
      inRuns.add(first.key);
    }
  });
  findings.push(...windowFindings(actions, t, inRuns));
  return findings;
}

/** Maximal runs of consecutive items with the same key. */
export function runsOf<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const runs: T[][] = [];
  for (const item of items) {
    const last = runs.at(-1);
    if (last && keyOf(last[0] as T) === keyOf(item)) last.push(item);
    else runs.push([item]);
  }
  return runs;
}

function runFinding(kind: Finding['kind'], run: readonly Step[], threshold: number, critical: number, resolvedNs: bigint | null, detail: string): Finding {
  return {
    kind,
    severity: run.length >= critical ? 'critical' : 'warning',
    detail,
    evidence: capEvidence(run.map((s) => s.spanId)),
    count: run.length,
    discriminator: (run[0] as Step).key,
    detectedNs: (run[threshold - 1] as Step).endNs,
    lastSeenNs: (run.at(-1) as Step).endNs,
    resolvedNs,
  };
}

/** Stretches of a run that got the same, known, successful result every time. */
function noProgress(run: readonly Step[], limit: number, afterRun: bigint | null): Finding[] {
  const findings: Finding[] = [];
  const stretches = runsOf(run, (s) => (s.failed || s.resultKey === '' ? `\u0000${s.spanId}` : s.resultKey));
  for (const [i, same] of stretches.entries()) {
    if (same.length < limit) continue;
    const first = same[0] as Step;
    findings.push({
      kind: 'loop.no_progress',
      severity: 'warning',
      detail: `${first.name} called ${same.length} times in a row and returned the same result each time`,
      evidence: capEvidence(same.map((s) => s.spanId)),
      count: same.length,
      discriminator: `${first.key}:${first.resultKey}`,
      detectedNs: (same[limit - 1] as Step).endNs,
      lastSeenNs: (same.at(-1) as Step).endNs,
      // A new result is progress, and so is any other action.
      resolvedNs: (stretches[i + 1]?.[0] as Step | undefined)?.endNs ?? afterRun,
    });
  }
  return findings;
}

/**
 * The same key with the same result `windowRepeats` times within `windowSize` actions, other
 * actions between them (A, B, A, C, A, …). A call that gets a new result each time is not
 * repeating itself: a build re-run after each edit, a file re-read after it changed. Keys
 * already reported as a run, and polling tools, are left out.
 */
function windowFindings(actions: readonly Step[], t: LoopThresholds, reported: ReadonlySet<string>): Finding[] {
  const positions = new Map<string, number[]>();
  actions.forEach((s, i) => {
    if (reported.has(s.key) || t.pollingTools.includes(s.name)) return;
    const same = `${s.key}\u0000${s.resultKey}`;
    const list = positions.get(same);
    if (list) list.push(i);
    else positions.set(same, [i]);
  });
  const findings: Finding[] = [];
  for (const list of positions.values()) {
    const born = list.findIndex((p, j) => j + t.windowRepeats - 1 < list.length && (list[j + t.windowRepeats - 1] as number) - p < t.windowSize);
    if (born < 0) continue;
    const hits = list.slice(born).map((i) => actions[i] as Step);
    const first = hits[0] as Step;
    // Resolved once the key has stayed out of a whole window of actions.
    const quiet = actions[(list.at(-1) as number) + t.windowSize];
    findings.push({
      kind: 'loop.repeat_call',
      severity: 'critical',
      detail: `${first.name} called ${hits.length} times with the same arguments within ${t.windowSize} actions`,
      evidence: capEvidence(hits.map((s) => s.spanId)),
      count: hits.length,
      discriminator: `window:${first.key}:${first.resultKey}`,
      detectedNs: (hits[t.windowRepeats - 1] as Step).endNs,
      lastSeenNs: (hits.at(-1) as Step).endNs,
      resolvedNs: quiet?.endNs ?? null,
    });
  }
  return findings;
}
