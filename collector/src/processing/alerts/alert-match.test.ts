import { describe, expect, it } from 'vitest';
import { isMatch, rateKey } from './alert-match.js';
import { buildAlertPayload, idempotencyKey, testAlertPayload } from './alert-payload.js';
import { retryAfterMs, retryDelayMs } from './webhook-delivery.js';
import { anomaly, rule } from './test-alerts.js';

describe('isMatch', () => {
  it.each([
    ['no filters', {}, {}, true],
    ['an exact kind', { kind: 'loop.repeat_call' as const }, {}, true],
    ['another kind', { kind: 'loop.ping_pong' as const }, {}, false],
    ['a family prefix without the dot', { kindPrefix: 'loop' }, {}, true],
    ['a family prefix with the dot', { kindPrefix: 'loop.' }, {}, true],
    ['a longer prefix', { kindPrefix: 'loop.repeat' }, { kind: 'loop.repeat_error' as const }, true],
    ['another family', { kindPrefix: 'budget' }, {}, false],
    ['minimum warning, a warning', { minSeverity: 'warning' as const }, { severity: 'warning' as const }, true],
    ['minimum warning, a critical', { minSeverity: 'warning' as const }, { severity: 'critical' as const }, true],
    ['minimum critical, a warning', { minSeverity: 'critical' as const }, { severity: 'warning' as const }, false],
    ['the agent', { agent: 'weather-agent' }, {}, true],
    ['another agent', { agent: 'hotel-agent' }, {}, false],
    ['the tenant', { tenant: 'acme' }, { tenantId: 'acme' }, true],
    ['another tenant', { tenant: 'acme' }, {}, false],
  ])('%s', (_, filters, fields, expected) => {
    expect(isMatch(rule(filters), anomaly(fields))).toBe(expected);
  });
});

describe('rateKey', () => {
  it('is per rule, tenant and session; an anomaly without a session counts as its agent', () => {
    const keys = new Set([
      rateKey(rule(), anomaly()), rateKey(rule(), anomaly({ anomalyId: 'other', version: 9n })),
      rateKey(rule({ name: 'b' }), anomaly()), rateKey(rule(), anomaly({ tenantId: 'acme' })), rateKey(rule(), anomaly({ sessionId: 's2' })),
      rateKey(rule(), anomaly({ sessionId: '' })), rateKey(rule(), anomaly({ sessionId: '', agentName: 'x' })),
    ]);
    expect(keys.size).toBe(6);
  });
});

describe('buildAlertPayload', () => {
  it('carries the anomaly with ISO times, the session link and a one-line text', () => {
    const payload = buildAlertPayload(rule({ name: 'loops' }), anomaly(), 'https://af.example.com/');
    expect(payload).toEqual({
      rule: 'loops',
      anomaly: {
        anomaly_id: 'an-1', tenant_id: 'default', session_id: 's1', trace_id: 'a'.repeat(32), agent_name: 'weather-agent', kind: 'loop.repeat_call',
        severity: 'critical', detail: 'get_forecast called 6 times in a row with the same arguments', evidence: ['b1', 'b2'], count: 6,
        detected_at: '2025-01-01T00:00:00.000Z', last_seen_at: '2025-01-01T00:00:05.000Z', resolved_at: null,
      },
      session_url: 'https://af.example.com/api/v1/sessions/s1',
      text: '[critical] loop.repeat_call on weather-agent: get_forecast called 6 times in a row with the same arguments — https://af.example.com/api/v1/sessions/s1',
    });
  });

  it('says resolved and names a tenant other than the default; no link without a session', () => {
    const payload = buildAlertPayload(rule(), anomaly({ tenantId: 'acme', sessionId: '', resolvedAt: 1_735_689_660_000_000_000n }), 'http://x');
    expect(payload.session_url).toBeNull();
    expect(payload.anomaly.resolved_at).toBe('2025-01-01T00:01:00.000Z');
    expect(payload.text).toBe('[critical] loop.repeat_call on weather-agent (tenant acme): get_forecast called 6 times in a row with the same arguments (resolved)');
  });

  it('a test payload is marked as one and takes the kind of the rule', () => {
    const payload = testAlertPayload(rule({ name: 'budgets', kindPrefix: 'budget' }), 'http://x', Date.UTC(2025, 0, 1));
    expect(payload).toMatchObject({ rule: 'budgets', test: true, session_url: null, anomaly: { kind: 'budget.llm_calls', anomaly_id: expect.stringMatching(/^test-/) } });
    expect(payload.text).toMatch(/^\[test\] \[warning\] budget\.llm_calls on agentflow-test: test alert from agentflow for rule 'budgets'/);
  });
});

describe('idempotencyKey', () => {
  const r = rule({ intervalMs: 600_000 });
  const t = Date.UTC(2025, 0, 1);
  it('is the same within an interval window and differs across windows, rules and anomalies', () => {
    expect(idempotencyKey(r, anomaly(), t + 1_000)).toBe(idempotencyKey(r, anomaly({ version: 7n }), t + 599_000));
    expect(idempotencyKey(r, anomaly(), t + 600_000)).not.toBe(idempotencyKey(r, anomaly(), t));
    expect(idempotencyKey(rule({ name: 'b' }), anomaly(), t)).not.toBe(idempotencyKey(r, anomaly(), t));
    expect(idempotencyKey(r, anomaly({ anomalyId: 'an-2' }), t)).not.toBe(idempotencyKey(r, anomaly(), t));
  });
});

describe('retries', () => {
  it('reads Retry-After as seconds or an HTTP date, capped at an hour', () => {
    const now = Date.UTC(2025, 0, 1);
    expect(retryAfterMs('7', now)).toBe(7_000);
    expect(retryAfterMs(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(retryAfterMs('999999', now)).toBe(3_600_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, up to the cap, never under Retry-After', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 1_000, 5_000, () => 0))).toEqual([500, 1_000, 2_000, 2_500, 2_500]);
    expect(retryDelayMs(1, 1_000, 5_000, () => 0.99)).toBe(995);
    expect(retryDelayMs(1, 1_000, 5_000, () => 0, 7_000)).toBe(7_000);
  });
});
