import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LOOP_THRESHOLDS } from '../loops/index.js';
import { costRateOf, createSettingsFor, loadDetectionFile, qualityOf, type DetectionFile, type SessionScope } from './settings.js';
import { DEFAULT_QUALITY_OPTIONS } from '../../assembly/quality/index.js';

const dir = mkdtempSync(join(tmpdir(), 'agentflow-detection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** Writes `text` to a new file with the given extension and returns its path. */
function fileOf(extension: string, text: string): string {
  const path = join(dir, `detection-${++files}.${extension}`);
  writeFileSync(path, text);
  return path;
}

/** Loads a file that must be valid. */
function load(extension: string, text: string): DetectionFile {
  const result = loadDetectionFile(fileOf(extension, text));
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.value;
}

/** The errors of a file that must be invalid. */
function errorsOf(extension: string, text: string): string[] {
  const result = loadDetectionFile(fileOf(extension, text));
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

const scope = (fields: Partial<SessionScope> = {}): SessionScope => ({ tenantId: 'acme', agentName: 'coder', agentType: 'coding', workflowName: 'fix-bug', ...fields });

const YAML = `
loops:
  repeat_warning: 4
  polling_tools: [wait_for_job, check_status]
budgets:
  llm_calls: 50
  cost_usd: 2.5
cost_rate:
  usd_per_hour: 10
overrides:
  - match: { tenant: acme }
    budgets: { llm_calls: 100 }
`;

describe('loadDetectionFile', () => {
  it('reads a YAML file', () => {
    const settings = createSettingsFor(load('yaml', YAML))(scope({ tenantId: 'other' }));
    expect(settings.loops).toEqual({ ...DEFAULT_LOOP_THRESHOLDS, repeatWarning: 4, pollingTools: ['wait_for_job', 'check_status'] });
    expect(settings.budgets).toMatchObject({ llmCalls: 50, costUsd: 2.5 });
    expect(settings.budgets.toolCalls).toBeUndefined();
  });

  it('reads a .yml file as YAML', () => {
    expect(load('yml', 'loops:\n  max_state_visits: 7\n').loops).toEqual({ max_state_visits: 7 });
  });

  it('reads a JSON file', () => {
    const file = load('json', JSON.stringify({ loops: { window_size: 30 }, budgets: { duration_ms: 60_000 }, overrides: [{ match: { workflow: 'nightly' }, loops: { window_size: 40 } }] }));
    const settingsFor = createSettingsFor(file);
    expect(settingsFor(scope()).loops.windowSize).toBe(30);
    expect(settingsFor(scope()).budgets.durationMs).toBe(60_000);
    expect(settingsFor(scope({ workflowName: 'nightly' })).loops.windowSize).toBe(40);
  });

  it('reads an empty file as the defaults', () => {
    const file = load('yaml', '');
    expect(createSettingsFor(file)(scope())).toEqual(createSettingsFor(undefined)(scope()));
  });

  it('names a field whose value is out of range', () => {
    const errors = errorsOf('yaml', 'loops:\n  repeat_warning: 0\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/: loops\.repeat_warning: /);
  });

  it('names a field of the wrong type', () => {
    expect(errorsOf('json', '{"budgets":{"tokens":"lots"}}')).toEqual([expect.stringMatching(/: budgets\.tokens: /)]);
  });

  it('names an unknown field', () => {
    expect(errorsOf('yaml', 'loops:\n  repeat_warnings: 4\n')).toEqual([expect.stringMatching(/: loops: .*repeat_warnings/)]);
  });

  it('names a bad field inside an override by its position', () => {
    const text = 'overrides:\n  - match: { tenant: a }\n  - match: { tenant: b }\n    budgets: { cost_usd: -1 }\n';
    expect(errorsOf('yaml', text)).toEqual([expect.stringMatching(/: overrides\.1\.budgets\.cost_usd: /)]);
  });

  it('rejects an override that matches nothing in particular', () => {
    expect(errorsOf('yaml', 'overrides:\n  - match: {}\n    loops: { repeat_warning: 9 }\n'))
      .toEqual([expect.stringMatching(/: overrides\.0\.match: name at least one of tenant, agent_type, agent, workflow/)]);
  });

  it('reports every bad field at once', () => {
    const errors = errorsOf('yaml', 'loops:\n  repeat_warning: -1\nbudgets:\n  steps: 1.5\n');
    expect(errors.map((e) => e.split(': ')[1])).toEqual(['loops.repeat_warning', 'budgets.steps']);
  });

  it('names the file in every error', () => {
    const path = fileOf('yaml', 'loops:\n  repeat_warning: 0\n');
    const result = loadDetectionFile(path);
    expect(result.ok ? [] : result.errors).toEqual([expect.stringMatching(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `))]);
  });

  it('rejects text that is not YAML', () => {
    expect(errorsOf('yaml', 'loops: [unclosed\n')).toEqual([expect.stringContaining(': not valid YAML: ')]);
  });

  it('rejects text that is not JSON', () => {
    expect(errorsOf('json', '{"loops": ')).toEqual([expect.stringContaining(': not valid JSON: ')]);
  });

  it('reports a file that cannot be read', () => {
    const result = loadDetectionFile(join(dir, 'missing.yaml'));
    expect(result.ok ? [] : result.errors).toEqual([expect.stringContaining('missing.yaml: cannot read: ')]);
  });
});

describe('costRateOf', () => {
  it('reads the rolling cost limit, per agent unless told otherwise', () => {
    expect(costRateOf(load('yaml', YAML))).toEqual({ usdPerHour: 10, per: 'agent' });
  });

  it('reads a per-tenant cost limit', () => {
    expect(costRateOf(load('yaml', 'cost_rate: { usd_per_hour: 3, per: tenant }\n'))).toEqual({ usdPerHour: 3, per: 'tenant' });
  });

  it('is absent when the file sets none, or there is no file', () => {
    expect(costRateOf(load('yaml', 'loops: { repeat_warning: 4 }\n'))).toBeUndefined();
    expect(costRateOf(undefined)).toBeUndefined();
  });
});

describe('createSettingsFor', () => {
  it('gives the built-in thresholds and no budgets without a file', () => {
    expect(createSettingsFor(undefined)(scope())).toEqual({
      loops: DEFAULT_LOOP_THRESHOLDS,
      budgets: { llmCalls: undefined, toolCalls: undefined, steps: undefined, tokens: undefined, costUsd: undefined, durationMs: undefined },
    });
  });

  const layered = load('yaml', `
loops:
  repeat_warning: 4
budgets:
  llm_calls: 50
overrides:
  - match: { tenant: acme }
    loops: { repeat_warning: 5, window_size: 30 }
    budgets: { llm_calls: 100 }
  - match: { tenant: acme, agent_type: coding }
    loops: { repeat_warning: 6 }
  - match: { workflow: nightly }
    budgets: { tool_calls: 500 }
  - match: { agent: poller }
    loops: { polling_tools: [check_status] }
`);
  const settingsFor = createSettingsFor(layered);

  it('applies the file\'s defaults where no override matches', () => {
    const settings = settingsFor(scope({ tenantId: 'globex' }));
    expect([settings.loops.repeatWarning, settings.loops.windowSize, settings.budgets.llmCalls]).toEqual([4, DEFAULT_LOOP_THRESHOLDS.windowSize, 50]);
  });

  it('applies a tenant\'s override to its sessions', () => {
    const settings = settingsFor(scope({ agentType: 'research' }));
    expect([settings.loops.repeatWarning, settings.loops.windowSize, settings.budgets.llmCalls]).toEqual([5, 30, 100]);
  });

  it('lets a later, narrower override win, keeping what it does not set', () => {
    const settings = settingsFor(scope({ agentType: 'coding' }));
    expect([settings.loops.repeatWarning, settings.loops.windowSize, settings.budgets.llmCalls]).toEqual([6, 30, 100]);
  });

  it('does not apply the narrower override to another tenant\'s agents of that type', () => {
    expect(settingsFor(scope({ tenantId: 'globex', agentType: 'coding' })).loops.repeatWarning).toBe(4);
  });

  it('matches overrides by workflow', () => {
    expect(settingsFor(scope({ workflowName: 'nightly' })).budgets.toolCalls).toBe(500);
    expect(settingsFor(scope()).budgets.toolCalls).toBeUndefined();
  });

  it('matches overrides by agent name', () => {
    expect(settingsFor(scope({ agentName: 'poller' })).loops.pollingTools).toEqual(['check_status']);
    expect(settingsFor(scope()).loops.pollingTools).toEqual([]);
  });

  it('stacks every matching override in file order', () => {
    const settings = settingsFor(scope({ workflowName: 'nightly', agentName: 'poller' }));
    expect([settings.loops.repeatWarning, settings.budgets.toolCalls, settings.loops.pollingTools]).toEqual([6, 500, ['check_status']]);
  });

  it('lets a broader override written after a narrower one win: order, not narrowness, decides', () => {
    const reversed = createSettingsFor(load('yaml', `
overrides:
  - match: { tenant: acme, agent_type: coding }
    loops: { repeat_warning: 6 }
  - match: { tenant: acme }
    loops: { repeat_warning: 5 }
`));
    expect(reversed(scope({ agentType: 'coding' })).loops.repeatWarning).toBe(5);
  });

  it('gives the same settings on a second call for the same scope', () => {
    expect(settingsFor(scope())).toEqual(settingsFor(scope()));
  });
});

describe('qualityOf', () => {
  it('is the built-in defaults without a file or a quality section', () => {
    expect(qualityOf(undefined)).toBe(DEFAULT_QUALITY_OPTIONS);
    expect(qualityOf(load('json', '{}'))).toBe(DEFAULT_QUALITY_OPTIONS);
  });
  it('reads word bounds, the threshold and the checks turned off', () => {
    const file = load('yaml', 'quality:\n  min_words: 3\n  max_words: 800\n  poor_threshold: 0.5\n  checks:\n    self_correction: false\n    refusal: true\n');
    expect(qualityOf(file)).toEqual({ minWords: 3, maxWords: 800, poorThreshold: 0.5, disabled: new Set(['self_correction']) });
  });
  it('refuses an unknown check, a threshold over 1 and min_words above max_words', () => {
    expect(errorsOf('json', '{"quality":{"checks":{"tone":false}}}').join('\n')).toMatch(/tone|checks/);
    expect(errorsOf('json', '{"quality":{"poor_threshold":1.5}}').join('\n')).toMatch(/poor_threshold/);
    expect(errorsOf('json', '{"quality":{"min_words":50,"max_words":10}}').join('\n')).toMatch(/min_words must not exceed max_words/);
  });
});
