import type { SessionUsage } from '@agentflow/schemas';
import { describe, expect, it } from 'vitest';
import { actionKey, canonicalArguments, resultKey, shortHash } from './action-key.js';
import { budgetFindings, type Budgets, type UsageMark } from './budget-rules.js';
import { loopFindings } from './index.js';
import { MAX_EVIDENCE, type AgentHop, type Finding, type SessionActivity, type StateEntry, type Step } from './steps.js';
import { DEFAULT_LOOP_THRESHOLDS, type LoopThresholds } from './thresholds.js';

/** A session built step by step (see {@link session}). */
interface SessionBuilder {
  steps: Step[];
  /** A successful tool call with its arguments and result (the result as text; '' = not captured). */
  tool(name: string, args?: unknown, result?: string): SessionBuilder;
  /** A failed tool call. */
  fail(name: string, args: unknown, errorType: string): SessionBuilder;
  /** A model call, with its output when captured. */
  llm(output?: string): SessionBuilder;
  /** The same call `times` times, each after a model call, as an agent loop makes them. */
  repeat(times: number, call: (b: SessionBuilder) => unknown): SessionBuilder;
  activity(states?: StateEntry[], hops?: AgentHop[]): SessionActivity;
}

/**
 * A session built step by step. Step n (from 1) is span `s<n>`, starts at n µs and ends 500 ns
 * later, so `end(n)` is when it finished. Keys come from the real key functions, as
 * session-activity.ts makes them.
 */
function session(): SessionBuilder {
  const steps: Step[] = [];
  const add = (fields: Partial<Step>) => {
    const n = steps.length + 1;
    steps.push({
      spanId: `s${n}`, actionType: 'tool_call', name: '', key: '', resultKey: '', failed: false, errorType: '', outputKey: '',
      startNs: BigInt(n) * 1000n, endNs: BigInt(n) * 1000n + 500n, ...fields,
    });
    return builder;
  };
  const builder: SessionBuilder = {
    steps,
    tool: (name, args = {}, result = 'ok') =>
      add({ name, key: actionKey('tool_call', name, JSON.stringify(args), ''), resultKey: resultKey(false, '', result, '') }),
    fail: (name, args, errorType) =>
      add({ name, key: actionKey('tool_call', name, JSON.stringify(args), ''), resultKey: resultKey(true, errorType, '', ''), failed: true, errorType }),
    llm: (output = '') =>
      add({ actionType: 'llm_call', name: 'gpt-4o', key: actionKey('llm_call', 'gpt-4o', '', ''), outputKey: output === '' ? '' : shortHash(canonicalArguments(output)) }),
    repeat: (times, call) => {
      for (let i = 0; i < times; i++) {
        builder.llm();
        call(builder);
      }
      return builder;
    },
    activity: (states = [], hops = []) => ({ steps, states, hops }),
  };
  return builder;
}

/** When step n ended. */
const end = (n: number) => BigInt(n) * 1000n + 500n;
const ids = (...ns: number[]) => ns.map((n) => `s${n}`);
/** Steps n, n+step, … (as many as `count`). */
const every = (from: number, step: number, count: number) => Array.from({ length: count }, (_, i) => from + i * step);

const thresholds = (overrides: Partial<LoopThresholds> = {}): LoopThresholds => ({ ...DEFAULT_LOOP_THRESHOLDS, ...overrides });

/** What a user sees of a finding. */
const seen = (f: Finding) => ({
  kind: f.kind, severity: f.severity, count: f.count, evidence: f.evidence, detectedNs: f.detectedNs, lastSeenNs: f.lastSeenNs, resolvedNs: f.resolvedNs,
});
const run = (activity: SessionActivity, t: LoopThresholds = thresholds()) => loopFindings(activity, t).map(seen);

describe('loop.repeat_call', () => {
  it('warns at the third identical call in a row and is resolved by the next different action', () => {
    const s = session().repeat(3, (b) => b.tool('read_file', { path: 'a.ts' }, 'v1')).llm().tool('write_file', { path: 'b.ts' });
    // s1 llm, s2 read, s3 llm, s4 read, s5 llm, s6 read, s7 llm, s8 write
    expect(run(s.activity())).toEqual([
      { kind: 'loop.repeat_call', severity: 'warning', count: 3, evidence: ids(2, 4, 6), detectedNs: end(6), lastSeenNs: end(6), resolvedNs: end(8) },
    ]);
  });

  it('stays open while the repeated call is the last action', () => {
    const s = session().repeat(3, (b) => b.tool('read_file', { path: 'a.ts' })).llm();
    expect(run(s.activity()).map((f) => f.resolvedNs)).toEqual([null]);
  });

  it('is critical at five in a row', () => {
    let n = 0;
    // Different results each time, so it is not also `loop.no_progress`.
    const s = session().repeat(5, (b) => b.tool('run_tests', { target: 'all' }, `run ${++n}`));
    expect(run(s.activity())).toEqual([
      { kind: 'loop.repeat_call', severity: 'critical', count: 5, evidence: ids(...every(2, 2, 5)), detectedNs: end(6), lastSeenNs: end(10), resolvedNs: null },
    ]);
  });

  it('counts calls whose arguments differ only in volatile fields and formatting as the same call', () => {
    const s = session()
      .tool('search_web', { query: 'OTLP HTTP', request_id: 'r-1' })
      .tool('search_web', { request_id: 'r-2', query: ' otlp http ' })
      .tool('search_web', { query: 'Otlp Http', nonce: 'n3' });
    expect(run(s.activity()).map((f) => [f.kind, f.count])).toEqual([['loop.repeat_call', 3]]);
  });

  it('is quiet at two in a row', () => {
    const s = session().repeat(2, (b) => b.tool('read_file', { path: 'a.ts' }));
    expect(run(s.activity())).toEqual([]);
  });

  it('fires on the same call five times within twenty actions, other actions between', () => {
    const s = session();
    for (const other of ['b', 'c', 'd', 'e']) s.tool('get_status', { job: 1 }, 'queued').tool('read_file', { path: other });
    s.tool('get_status', { job: 1 }, 'queued');
    // get_status at s1, s3, s5, s7, s9
    expect(run(s.activity())).toEqual([
      { kind: 'loop.repeat_call', severity: 'critical', count: 5, evidence: ids(1, 3, 5, 7, 9), detectedNs: end(9), lastSeenNs: end(9), resolvedNs: null },
    ]);
  });

  it('resolves the windowed form once the call stayed out of a whole window of actions', () => {
    const s = session();
    for (const other of ['b', 'c', 'd', 'e']) s.tool('get_status', { job: 1 }, 'queued').tool('read_file', { path: other });
    s.tool('get_status', { job: 1 }, 'queued');
    for (let i = 0; i < 20; i++) s.tool('read_file', { path: `f${i}` });
    // The last get_status is action 9; twenty actions later is action 29.
    expect(run(s.activity()).map((f) => f.resolvedNs)).toEqual([end(29)]);
  });

  it('does not fire when the fifth repeat falls outside the window', () => {
    const spaced = (gapAfterFourth: number) => {
      const s = session();
      let other = 0;
      const fill = (n: number) => {
        for (let i = 0; i < n; i++) s.tool('read_file', { path: `f${other++}` });
      };
      for (let i = 0; i < 4; i++) {
        s.tool('get_status', { job: 1 }, 'queued');
        fill(i < 3 ? 4 : gapAfterFourth);
      }
      s.tool('get_status', { job: 1 }, 'queued');
      return run(s.activity());
    };
    // Positions 0, 5, 10, 15 and then 19 (within 20 actions) or 20 (21 actions).
    expect(spaced(3).map((f) => f.kind)).toEqual(['loop.repeat_call']);
    expect(spaced(4)).toEqual([]);
  });

  it('fires on a build re-run after each edit that fails the same way every time', () => {
    const s = session();
    for (let i = 0; i < 5; i++) s.tool('run_build', { cmd: 'npm run build' }, 'error TS2345 in src/app.ts:12').tool('edit_file', { path: 'src/app.ts', new_string: `try ${i}` }, 'File edited.');
    expect(run(s.activity()).map((f) => [f.kind, f.severity, f.evidence])).toEqual([['loop.repeat_call', 'critical', ids(1, 3, 5, 7, 9)]]);
  });

  it('does not count model calls as actions between repeats', () => {
    const s = session().tool('read_file', { path: 'a.ts' }).llm('thinking').llm('more thinking').tool('read_file', { path: 'a.ts' }).llm().tool('read_file', { path: 'a.ts' });
    expect(run(s.activity()).map((f) => [f.kind, f.evidence])).toEqual([['loop.repeat_call', ids(1, 4, 6)]]);
  });
});

describe('loop.repeat_error', () => {
  it('warns at the third identical failing call in a row and is resolved by the next different action', () => {
    const s = session().repeat(3, (b) => b.fail('deploy', { env: 'prod' }, 'PermissionError')).llm().tool('ask_human', { q: 'help' });
    expect(run(s.activity())).toEqual([
      { kind: 'loop.repeat_error', severity: 'warning', count: 3, evidence: ids(2, 4, 6), detectedNs: end(6), lastSeenNs: end(6), resolvedNs: end(8) },
    ]);
  });

  it('is critical at five failures in a row', () => {
    const s = session().repeat(5, (b) => b.fail('deploy', { env: 'prod' }, 'PermissionError'));
    expect(run(s.activity()).map((f) => [f.kind, f.severity, f.count])).toEqual([['loop.repeat_error', 'critical', 5]]);
  });

  it('counts a retry that changes only its request id as the same failing call', () => {
    const s = session();
    for (const id of ['r-1', 'r-2', 'r-3']) s.fail('deploy', { env: 'prod', request_id: id }, 'PermissionError');
    expect(run(s.activity()).map((f) => f.kind)).toEqual(['loop.repeat_error']);
  });
});

describe('loop.no_progress', () => {
  it('fires on five identical calls in a row with an unchanged result, beside the repeat itself', () => {
    const s = session().repeat(5, (b) => b.tool('check_deploy_status', { deployment_id: 'dep-42' }, '{"status":"pending"}'));
    expect(run(s.activity())).toEqual([
      { kind: 'loop.no_progress', severity: 'warning', count: 5, evidence: ids(...every(2, 2, 5)), detectedNs: end(10), lastSeenNs: end(10), resolvedNs: null },
      { kind: 'loop.repeat_call', severity: 'critical', count: 5, evidence: ids(...every(2, 2, 5)), detectedNs: end(6), lastSeenNs: end(10), resolvedNs: null },
    ]);
  });

  it('is resolved by a new result of the same call', () => {
    const s = session()
      .repeat(5, (b) => b.tool('check_deploy_status', { deployment_id: 'dep-42' }, '{"status":"pending"}'))
      .llm().tool('check_deploy_status', { deployment_id: 'dep-42' }, '{"status":"done"}');
    expect(run(s.activity()).find((f) => f.kind === 'loop.no_progress')?.resolvedNs).toBe(end(12));
  });

  it('does not count failures or uncaptured results as unchanged', () => {
    const s = session().repeat(2, (b) => b.tool('poll', { id: 1 }, '')).repeat(3, (b) => b.fail('poll', { id: 1 }, 'Timeout'));
    expect(run(s.activity()).map((f) => f.kind)).not.toContain('loop.no_progress');
  });

  it('uses the configured limit', () => {
    const s = session().repeat(3, (b) => b.tool('check', { id: 1 }, 'same'));
    expect(run(s.activity(), thresholds({ noProgressRepeats: 3, repeatWarning: 10, repeatCritical: 20 }))).toEqual([
      { kind: 'loop.no_progress', severity: 'warning', count: 3, evidence: ids(2, 4, 6), detectedNs: end(6), lastSeenNs: end(6), resolvedNs: null },
    ]);
  });
});

describe('polling tools', () => {
  const polling = thresholds({ pollingTools: ['check_deploy_status'] });
  const poll = (times: number) => {
    const s = session();
    return s.repeat(times, (b) => b.tool('check_deploy_status', { deployment_id: 'dep-42' }, '{"status":"pending"}'));
  };

  it('are not a repeated call, however often they repeat below the polling limit', () => {
    expect(run(poll(19).activity(), polling)).toEqual([]);
  });

  it('are no progress at the polling limit', () => {
    const findings = run(poll(20).activity(), polling);
    expect(findings.map((f) => [f.kind, f.count, f.detectedNs])).toEqual([['loop.no_progress', 20, end(40)]]);
  });

  it('follow a configured polling limit', () => {
    expect(run(poll(6).activity(), { ...polling, pollingRepeats: 6 }).map((f) => f.kind)).toEqual(['loop.no_progress']);
  });

  it('leave other tools to the ordinary limits', () => {
    const s = session().repeat(3, (b) => b.tool('read_file', { path: 'a.ts' }));
    expect(run(s.activity(), polling).map((f) => f.kind)).toEqual(['loop.repeat_call']);
  });

  it('are left out of the windowed repeat', () => {
    const s = session();
    for (const other of ['b', 'c', 'd', 'e', 'f']) s.tool('check_deploy_status', { deployment_id: 'dep-42' }, 'pending').tool('read_file', { path: other });
    expect(run(s.activity(), polling)).toEqual([]);
  });
});

describe('loop.ping_pong', () => {
  it('fires on actions alternating A, B three times and is resolved by the action that breaks it', () => {
    const s = session();
    for (let i = 0; i < 3; i++) s.tool('git_checkout', { branch: 'main' }).tool('git_checkout', { branch: 'dev' });
    s.tool('git_status');
    expect(run(s.activity())).toEqual([
      { kind: 'loop.ping_pong', severity: 'warning', count: 3, evidence: ids(1, 2, 3, 4, 5, 6), detectedNs: end(6), lastSeenNs: end(6), resolvedNs: end(7) },
    ]);
  });

  it('fires on a period-3 pattern of actions', () => {
    const s = session();
    for (let i = 0; i < 3; i++) s.tool('plan').tool('code', { step: 1 }).tool('test');
    expect(run(s.activity())).toEqual([
      { kind: 'loop.ping_pong', severity: 'warning', count: 3, evidence: ids(...every(1, 1, 9)), detectedNs: end(9), lastSeenNs: end(9), resolvedNs: null },
    ]);
  });

  it('is critical at five repeats', () => {
    const s = session();
    for (let i = 0; i < 5; i++) s.tool('undo').tool('redo');
    // Undo and redo also come five times each within twenty actions: one loop, reported once, as the ping-pong.
    const findings = run(s.activity());
    expect(findings.map((f) => [f.kind, f.severity, f.count, f.detectedNs])).toEqual([['loop.ping_pong', 'critical', 5, end(6)]]);
  });

  it('is quiet at two repeats', () => {
    const s = session().tool('undo').tool('redo').tool('undo').tool('redo');
    expect(run(s.activity())).toEqual([]);
  });

  it('uses the configured number of repeats', () => {
    const s = session().tool('undo').tool('redo').tool('undo').tool('redo');
    expect(run(s.activity(), thresholds({ pingPongRepeats: 2 })).map((f) => [f.kind, f.count])).toEqual([['loop.ping_pong', 2]]);
  });

  it('fires on control passing between two agents A → B → A three times', () => {
    const hops: AgentHop[] = ['writer', 'critic', 'writer', 'critic', 'writer', 'critic'].map((agent, i) => ({ agent, spanId: `a${i + 1}`, atNs: BigInt(i + 1) * 100n }));
    expect(run(session().activity([], hops))).toEqual([
      { kind: 'loop.ping_pong', severity: 'warning', count: 3, evidence: hops.map((h) => h.spanId), detectedNs: 600n, lastSeenNs: 600n, resolvedNs: null },
    ]);
  });

  it('fires on states alternating three times', () => {
    const states: StateEntry[] = ['draft', 'review', 'draft', 'review', 'draft', 'review', 'done']
      .map((state, i) => ({ state, spanId: 'agent', atNs: BigInt(i + 1) * 100n }));
    expect(run(session().activity(states))).toEqual([
      { kind: 'loop.ping_pong', severity: 'warning', count: 3, evidence: Array(6).fill('agent'), detectedNs: 600n, lastSeenNs: 600n, resolvedNs: 700n },
    ]);
  });
});

describe('loop.repeated_output', () => {
  it('fires on the same model output three times with no tool result between', () => {
    const s = session().llm('I cannot do that.').llm(' I cannot do that. ').llm('I cannot do that.');
    expect(run(s.activity())).toEqual([
      { kind: 'loop.repeated_output', severity: 'warning', count: 3, evidence: ids(1, 2, 3), detectedNs: end(3), lastSeenNs: end(3), resolvedNs: null },
    ]);
  });

  it('keeps its detection time as more repeats come, and is resolved by the next tool result', () => {
    const s = session().llm('same').llm('same').llm('same').llm('same').tool('search_web', { q: 'x' });
    expect(run(s.activity())).toEqual([
      { kind: 'loop.repeated_output', severity: 'warning', count: 4, evidence: ids(1, 2, 3, 4), detectedNs: end(3), lastSeenNs: end(4), resolvedNs: end(5) },
    ]);
  });

  it('does not count outputs across a tool result', () => {
    const s = session().llm('same').llm('same').tool('search_web', { q: 'x' }).llm('same');
    expect(run(s.activity())).toEqual([]);
  });

  it('ignores model calls whose output was not captured', () => {
    const s = session().llm().llm().llm();
    expect(run(s.activity())).toEqual([]);
  });
});

describe('loop.state_revisit', () => {
  const visits = (...names: string[]): StateEntry[] => names.map((state, i) => ({ state, spanId: `e${i + 1}`, atNs: BigInt(i + 1) * 100n }));

  it('fires when a state is entered a fourth time, and stays open', () => {
    const states = visits('review', 'edit', 'review', 'test', 'review', 'deploy', 'review');
    expect(run(session().activity(states))).toEqual([
      { kind: 'loop.state_revisit', severity: 'warning', count: 4, evidence: ['e1', 'e3', 'e5', 'e7'], detectedNs: 700n, lastSeenNs: 700n, resolvedNs: null },
    ]);
  });

  it('is quiet at the limit', () => {
    expect(run(session().activity(visits('review', 'edit', 'review', 'test', 'review')))).toEqual([]);
  });

  it('uses the configured limit', () => {
    const findings = run(session().activity(visits('review', 'edit', 'review')), thresholds({ maxStateVisits: 1 }));
    expect(findings.map((f) => [f.kind, f.count, f.detectedNs])).toEqual([['loop.state_revisit', 2, 300n]]);
  });

  it('names each span once in its evidence', () => {
    const states = ['review', 'edit', 'review', 'test', 'review', 'deploy', 'review'].map((state, i) => ({ state, spanId: 'agent', atNs: BigInt(i + 1) * 100n }));
    expect(run(session().activity(states)).map((f) => f.evidence)).toEqual([['agent']]);
  });
});

describe('custom thresholds', () => {
  it('move the repeat warning and critical levels', () => {
    const t = thresholds({ repeatWarning: 2, repeatCritical: 3 });
    const two = session().tool('read_file', { path: 'a' }).tool('read_file', { path: 'a' });
    const three = session().tool('read_file', { path: 'a' }, '1').tool('read_file', { path: 'a' }, '2').tool('read_file', { path: 'a' }, '3');
    expect(run(two.activity(), t).map((f) => [f.kind, f.severity, f.detectedNs])).toEqual([['loop.repeat_call', 'warning', end(2)]]);
    expect(run(three.activity(), t).map((f) => [f.kind, f.severity])).toEqual([['loop.repeat_call', 'critical']]);
  });

  it('move the repeated-failure limit', () => {
    const s = session().fail('deploy', {}, 'Timeout').fail('deploy', {}, 'Timeout').fail('deploy', {}, 'Timeout');
    expect(run(s.activity(), thresholds({ errorRepeats: 4 }))).toEqual([]);
    expect(run(s.fail('deploy', {}, 'Timeout').activity(), thresholds({ errorRepeats: 4 })).map((f) => [f.kind, f.detectedNs])).toEqual([['loop.repeat_error', end(4)]]);
  });

  it('move the window', () => {
    const s = session();
    for (const other of ['b', 'c']) s.tool('get_status', { job: 1 }, 'queued').tool('read_file', { path: other });
    s.tool('get_status', { job: 1 }, 'queued');
    expect(run(s.activity(), thresholds({ windowRepeats: 3, windowSize: 5 })).map((f) => [f.kind, f.evidence])).toEqual([['loop.repeat_call', ids(1, 3, 5)]]);
    expect(run(s.activity(), thresholds({ windowRepeats: 3, windowSize: 4 }))).toEqual([]);
  });

  it('move the repeated-output limit', () => {
    const s = session().llm('same').llm('same');
    expect(run(s.activity(), thresholds({ repeatedOutputs: 2 })).map((f) => [f.kind, f.count])).toEqual([['loop.repeated_output', 2]]);
  });
});

describe('evidence', () => {
  it('keeps the first and last spans of a long loop', () => {
    const s = session();
    for (let i = 0; i < 60; i++) s.tool('read_file', { path: 'a' }, `${i}`);
    const [finding] = run(s.activity());
    expect(finding?.count).toBe(60);
    expect(finding?.evidence).toEqual([...ids(...every(1, 1, MAX_EVIDENCE / 2)), ...ids(...every(36, 1, MAX_EVIDENCE / 2))]);
  });
});

describe('what is not a loop', () => {
  it('the same tool on different files', () => {
    const s = session();
    for (const path of ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts', 'src/e.ts', 'src/f.ts']) s.llm().tool('read_file', { path }, 'export {};');
    expect(loopFindings(s.activity(), thresholds())).toEqual([]);
  });

  it('the same tool on different URLs', () => {
    const s = session();
    for (const page of ['a', 'b', 'c', 'd', 'e', 'f']) s.llm().tool('fetch_page', { url: `https://example.com/${page}` }, 'Not found');
    expect(loopFindings(s.activity(), thresholds())).toEqual([]);
  });

  it('a retry with changed arguments', () => {
    const s = session()
      .llm().fail('run_command', { cmd: 'npm test' }, 'ExitCode')
      .llm().fail('run_command', { cmd: 'npm test -- --runInBand' }, 'ExitCode')
      .llm().fail('run_command', { cmd: 'npx vitest run' }, 'ExitCode')
      .llm().tool('run_command', { cmd: 'npx vitest run --pool forks' }, 'passed');
    expect(loopFindings(s.activity(), thresholds())).toEqual([]);
  });

  it('incremental edits of one file', () => {
    const s = session();
    for (let i = 0; i < 8; i++) s.llm().tool('edit_file', { path: 'src/app.ts', old_string: `v${i}`, new_string: `v${i + 1}` }, 'File edited.');
    expect(loopFindings(s.activity(), thresholds())).toEqual([]);
  });

  it('re-reading a file between incremental edits of it (regression: the windowed repeat counted calls whose result changed each time)', () => {
    const s = session();
    for (let i = 0; i < 6; i++) {
      s.llm().tool('read_file', { path: 'src/app.ts' }, `const v = ${i};`);
      s.llm().tool('edit_file', { path: 'src/app.ts', old_string: `${i}`, new_string: `${i + 1}` }, 'File edited.');
    }
    expect(loopFindings(s.activity(), thresholds())).toEqual([]);
  });

  it('re-running a build after each edit (regression: the windowed repeat counted calls whose result changed each time)', () => {
    const s = session();
    for (let errors = 5; errors >= 0; errors--) {
      s.llm().tool('run_build', { cmd: 'npm run build' }, errors === 0 ? 'Build succeeded.' : `${errors} errors`);
      if (errors > 0) s.llm().tool('edit_file', { path: 'src/app.ts', old_string: `bug${errors}`, new_string: `fix${errors}` }, 'File edited.');
    }
    expect(loopFindings(s.activity(), thresholds())).toEqual([]);
  });

  it('parallel calls of one tool with different arguments', () => {
    const s = session().llm();
    for (const query of ['otlp http', 'otlp grpc', 'otlp json', 'otlp protobuf', 'otlp gzip', 'otlp retries']) s.tool('search_web', { query }, '[]');
    // Issued together: they share one start.
    for (const step of s.steps.slice(1)) step.startNs = 2000n;
    expect(loopFindings(s.llm().activity(), thresholds())).toEqual([]);
  });
});

/** Running usage after each action, from one line per action. */
function marks(actions: { type: 'llm_call' | 'tool_call'; tokens?: number; costUsd?: number; endMs: number }[]): UsageMark[] {
  const usage: SessionUsage = { llmCalls: 0, toolCalls: 0, steps: 0, tokens: 0, costUsd: 0, durationMs: 0 };
  return actions.map((a, i) => {
    usage.steps++;
    if (a.type === 'llm_call') usage.llmCalls++;
    else usage.toolCalls++;
    usage.tokens += a.tokens ?? 0;
    usage.costUsd += a.costUsd ?? 0;
    usage.durationMs = a.endMs;
    return { spanId: `m${i + 1}`, atNs: BigInt(a.endMs) * 1_000_000n, usage: { ...usage } };
  });
}

describe('budgets', () => {
  const usage = marks([
    { type: 'llm_call', tokens: 1000, costUsd: 0.01, endMs: 1000 },
    { type: 'tool_call', endMs: 2000 },
    { type: 'llm_call', tokens: 1500, costUsd: 0.02, endMs: 4000 },
    { type: 'tool_call', endMs: 5000 },
    { type: 'llm_call', tokens: 2000, costUsd: 0.03, endMs: 9000 },
    { type: 'tool_call', endMs: 10000 },
  ]);
  const found = (budgets: Budgets) => budgetFindings(usage, budgets).map((f) => ({ ...seen(f), detail: f.detail }));

  it('flags LLM calls at the call that went over', () => {
    expect(found({ llmCalls: 2 })).toEqual([
      { kind: 'budget.llm_calls', severity: 'critical', count: 1, evidence: ['m5'], detectedNs: 9_000_000_000n, lastSeenNs: 10_000_000_000n, resolvedNs: null, detail: 'used 3 LLM calls, over the budget of 2 LLM calls' },
    ]);
  });

  it('flags tool calls at the call that went over, counting how far over', () => {
    expect(found({ toolCalls: 1 }).map((f) => [f.kind, f.evidence, f.count])).toEqual([['budget.tool_calls', ['m4'], 2]]);
  });

  it('flags steps at the step that went over', () => {
    expect(found({ steps: 4 }).map((f) => [f.kind, f.evidence, f.count])).toEqual([['budget.steps', ['m5'], 2]]);
  });

  it('flags tokens at the call that went over', () => {
    expect(found({ tokens: 2000 }).map((f) => [f.kind, f.evidence, f.count])).toEqual([['budget.tokens', ['m3'], 2500]]);
  });

  it('flags cost at the call that went over', () => {
    expect(found({ costUsd: 0.025 }).map((f) => [f.kind, f.evidence, f.count, f.detail])).toEqual([['budget.cost', ['m3'], 1, 'used $0.0600, over the budget of $0.0250']]);
  });

  it('flags duration at the action that ended past it', () => {
    expect(found({ durationMs: 4000 }).map((f) => [f.kind, f.evidence, f.detectedNs, f.detail])).toEqual([['budget.duration', ['m4'], 5_000_000_000n, 'used 10 s, over the budget of 4 s']]);
  });

  it('is quiet when usage reaches a limit without going over', () => {
    expect(found({ llmCalls: 3, toolCalls: 3, steps: 6, tokens: 4500, durationMs: 10000 })).toEqual([]);
  });

  it('checks only the limits that are set', () => {
    expect(found({})).toEqual([]);
  });

  it('reports each broken budget', () => {
    expect(found({ llmCalls: 1, tokens: 100 }).map((f) => f.kind)).toEqual(['budget.llm_calls', 'budget.tokens']);
  });

  it('finds nothing in a session without actions', () => {
    expect(budgetFindings([], { llmCalls: 0 })).toEqual([]);
  });
});
