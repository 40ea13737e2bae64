import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAlertRules } from './alert-rules.js';

const dir = mkdtempSync(join(tmpdir(), 'agentflow-alert-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const YAML_RULES = `
rules:
  - name: loops-to-chat
    kind_prefix: loop.
    severity: critical
    agent: weather-agent
    webhook:
      url: https://hooks.example.com/services/T0/B0/secret
      headers: { X-Token: abc }
    interval: 15m
    retries: 3
    backoff: { initial: 2s, max: 1m }
  - name: everything
    webhook: { url: "http://127.0.0.1:9000/hook" }
`;

/** The errors for a YAML file holding one rule. */
function errorsOf(rule: string): string[] {
  const result = loadAlertRules(file('alerts.yaml', `rules:\n  - ${rule.trim().split('\n').join('\n    ')}\n`));
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors.map((e) => e.slice(dir.length + 1));
}

describe('loadAlertRules', () => {
  it('reads a YAML file, converting durations and filling defaults', () => {
    const result = loadAlertRules(file('rules.yaml', YAML_RULES));
    expect(result).toEqual({
      ok: true,
      rules: [
        {
          name: 'loops-to-chat', kind: undefined, kindPrefix: 'loop.', minSeverity: 'critical', agent: 'weather-agent', tenant: undefined,
          webhook: { url: 'https://hooks.example.com/services/T0/B0/secret', headers: { 'X-Token': 'abc' } },
          intervalMs: 900_000, retries: 3, backoffInitialMs: 2_000, backoffMaxMs: 60_000, timeoutMs: 10_000,
        },
        {
          name: 'everything', kind: undefined, kindPrefix: undefined, minSeverity: 'warning', agent: undefined, tenant: undefined,
          webhook: { url: 'http://127.0.0.1:9000/hook', headers: {} },
          intervalMs: 600_000, retries: 5, backoffInitialMs: 1_000, backoffMaxMs: 300_000, timeoutMs: 10_000,
        },
      ],
    });
  });

  it('reads the same rules from JSON', () => {
    const json = { rules: [{ name: 'budget', kind: 'budget.cost', tenant: 'acme', webhook: { url: 'https://example.com/h' }, interval: '1h', timeout: '3s' }] };
    const result = loadAlertRules(file('rules.json', JSON.stringify(json)));
    expect(result.ok && result.rules[0]).toMatchObject({ name: 'budget', kind: 'budget.cost', tenant: 'acme', intervalMs: 3_600_000, timeoutMs: 3_000 });
  });

  it('refuses other extensions, missing files and bad syntax, naming the file', () => {
    expect(loadAlertRules(file('rules.toml', ''))).toEqual({ ok: false, errors: [expect.stringMatching(/rules\.toml: .*\.yaml, \.yml or \.json/)] });
    expect(loadAlertRules(join(dir, 'missing.yaml'))).toEqual({ ok: false, errors: [expect.stringMatching(/missing\.yaml: cannot read/)] });
    expect(loadAlertRules(file('bad.json', '{"rules": ['))).toEqual({ ok: false, errors: [expect.stringMatching(/bad\.json: not valid JSON/)] });
    expect(loadAlertRules(file('bad.yaml', 'rules:\n  - name: a\n   webhook: [\n'))).toEqual({ ok: false, errors: [expect.stringMatching(/bad\.yaml: not valid YAML: .*line 3/)] });
  });

  it('accepts a file with no rules, and refuses one without a rules list', () => {
    expect(loadAlertRules(file('empty.yaml', 'rules: []'))).toEqual({ ok: true, rules: [] });
    expect(loadAlertRules(file('none.json', '{}'))).toEqual({ ok: false, errors: [expect.stringMatching(/none\.json: rules: must be a list of rules$/)] });
    expect(loadAlertRules(file('list.yaml', '- a'))).toEqual({ ok: false, errors: [expect.stringMatching(/list\.yaml: \(top\): must be an object with a rules list$/)] });
    expect(loadAlertRules(file('typo.yaml', 'rulez: []'))).toEqual({ ok: false, errors: expect.arrayContaining([expect.stringMatching(/typo\.yaml: .*rulez/)]) });
  });
});

describe('loadAlertRules: each bad field is an error naming it', () => {
  const url = "webhook: { url: 'https://example.com/h' }";
  it.each([
    ['a missing name', url, /rules\.0\.name: is required/],
    ['a bad name', `name: "has space"\n${url}`, /rules\.0\.name: must be 1-64/],
    ['an unknown kind', `name: a\nkind: loop.forever\n${url}`, /rules\.0\.kind: must be one of loop\.repeat_call/],
    ['a prefix matching no kind', `name: a\nkind_prefix: lop\n${url}`, /rules\.0\.kind_prefix: matches no anomaly kind/],
    ['both kind and prefix', `name: a\nkind: loop.repeat_call\nkind_prefix: loop\n${url}`, /rules\.0\.kind_prefix: give kind or kind_prefix, not both/],
    ['an unknown severity', `name: a\nseverity: high\n${url}`, /rules\.0\.severity: must be warning .* or critical/],
    ['a missing webhook', 'name: a', /rules\.0\.webhook: /],
    ['a webhook that is not http', "name: a\nwebhook: { url: 'ftp://example.com/h' }", /rules\.0\.webhook\.url: must be an http/],
    ['a reserved header', "name: a\nwebhook: { url: 'https://e.com', headers: { Content-Type: text/plain } }", /rules\.0\.webhook\.headers\.Content-Type: .*set by agentflow/],
    ['a header value that is not a string', "name: a\nwebhook: { url: 'https://e.com', headers: { X-N: 3 } }", /rules\.0\.webhook\.headers\.X-N: header values must be strings/],
    ['a bad interval', `name: a\ninterval: 10 minutes\n${url}`, /rules\.0\.interval: must be a duration like 30s/],
    ['an interval under a second', `name: a\ninterval: 10ms\n${url}`, /rules\.0\.interval: must be at least 1000 ms/],
    ['negative retries', `name: a\nretries: -1\n${url}`, /rules\.0\.retries: /],
    ['a bad backoff', `name: a\nbackoff: { initial: soon }\n${url}`, /rules\.0\.backoff\.initial: must be a duration/],
    ['a backoff max under its initial', `name: a\nbackoff: { initial: 1m, max: 1s }\n${url}`, /rules\.0\.backoff\.max: must be at least backoff\.initial/],
    ['a misspelt field', `name: a\nagnet: x\n${url}`, /rules\.0: .*agnet/],
  ])('%s', (_, rule, pattern) => {
    expect(errorsOf(rule)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^alerts\\.yaml: ${pattern.source}`))]));
  });

  it('a duplicate name, naming the second rule', () => {
    const path = file('dup.json', JSON.stringify({ rules: [{ name: 'a', webhook: { url: 'https://e.com' } }, { name: 'a', webhook: { url: 'https://e.com' } }] }));
    expect(loadAlertRules(path)).toEqual({ ok: false, errors: [`${path}: rules.1.name: another rule is already named 'a'`] });
  });
});
