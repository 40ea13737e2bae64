import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAlertDispatcher, type AlertDispatcher } from './alert-dispatcher.js';
import type { AlertRule } from './alert-rules.js';
import type { FetchPort } from './webhook-delivery.js';
import { anomaly, memoryLog, receiver, rule, seenNow, until, virtualClock } from './test-alerts.js';

const root = mkdtempSync(join(tmpdir(), 'agentflow-alerts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const running: AlertDispatcher[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.stop(1_000)));
});

/** A started dispatcher on a fresh state directory and a virtual clock. */
async function dispatcher(rules: AlertRule[], over: { fetch?: FetchPort; maxQueued?: number } = {}) {
  const clock = virtualClock();
  const log = memoryLog();
  const d = createAlertDispatcher(
    { log, now: clock.now, setTimer: clock.setTimer, random: () => 0, ...(over.fetch ? { fetch: over.fetch } : {}) },
    { rules, stateDir: join(root, `d${dirs++}`), publicBaseUrl: 'https://af.example.com', maxQueued: over.maxQueued },
  );
  await d.start();
  running.push(d);
  return { d, clock, log };
}

/** A fetch that answers 200 and records the bodies it was given. */
function okFetch() {
  const bodies: { rule: string; anomaly: { anomaly_id: string; session_id: string; count: number } }[] = [];
  const fetch: FetchPort = async (_url, init) => {
    bodies.push(JSON.parse(init.body as string));
    return new Response('ok');
  };
  return { fetch, bodies };
}

describe('AlertDispatcher: the interval', () => {
  it('sends an anomaly once per interval per rule and session, however often and in whatever version it comes again', async () => {
    const sent = okFetch();
    const { d, clock } = await dispatcher([rule()], { fetch: sent.fetch });
    d.notify([anomaly()]);
    d.notify([anomaly()]); // an export retried
    d.notify([anomaly({ version: 2n, count: 9 })]); // the loop grew
    d.notify([anomaly({ anomalyId: 'an-2', kind: 'loop.ping_pong' })]); // another anomaly of the same session
    clock.advance(599_999);
    d.notify([anomaly({ version: 3n, count: 12 })]);
    await until(() => d.stats().queued === 0);
    expect(sent.bodies.map((b) => b.anomaly.count)).toEqual([6]);
    expect(d.stats()).toMatchObject({ matched: 5, enqueued: 1, suppressed: 4, delivered: 1 });
  });

  it('sends for another session at once, and for the same session again once the interval has passed, if the anomaly changed', async () => {
    const sent = okFetch();
    const { d, clock } = await dispatcher([rule()], { fetch: sent.fetch });
    d.notify([anomaly(), anomaly({ sessionId: 's2', anomalyId: 'an-9' })]);
    clock.advance(600_000);
    d.notify([anomaly()]); // same version: nothing new to say
    d.notify([anomaly({ version: 2n, count: 20 })]);
    await until(() => d.stats().queued === 0);
    expect(sent.bodies.map((b) => [b.anomaly.session_id, b.anomaly.count])).toEqual([['s1', 6], ['s2', 6], ['s1', 20]]);
  });

  it('sends once per matching rule, and nothing for rules that do not match', async () => {
    const sent = okFetch();
    const { d } = await dispatcher([rule({ name: 'loops', kindPrefix: 'loop' }), rule({ name: 'critical', minSeverity: 'critical' }), rule({ name: 'budgets', kindPrefix: 'budget' })], { fetch: sent.fetch });
    d.notify([anomaly()]);
    await until(() => d.stats().queued === 0);
    expect(sent.bodies.map((b) => b.rule).sort()).toEqual(['critical', 'loops']);
  });

  it('does not alert anomalies last seen longer ago than the maximum age (a rebuild re-detecting history)', async () => {
    const sent = okFetch();
    const { d, clock } = await dispatcher([rule()], { fetch: sent.fetch });
    clock.advance(3_600_000 + 5_001); // an hour after the anomaly was last seen
    d.notify([anomaly({ version: 5n })]);
    d.notify([anomaly({ sessionId: 's2', resolvedAt: BigInt(clock.now() - 60_000) * 1_000_000n })]); // but resolved a minute ago
    await until(() => d.stats().queued === 0);
    expect(sent.bodies.map((b) => b.anomaly.session_id)).toEqual(['s2']);
    expect(d.stats()).toMatchObject({ tooOld: 1, matched: 1 });
  });

  it('drops and counts past the queue bound, warning once', async () => {
    const hang: FetchPort = (_url, init) => new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    const { d, log } = await dispatcher([rule()], { fetch: hang, maxQueued: 2 });
    d.notify(['a', 'b', 'c', 'd', 'e'].map((s) => anomaly({ sessionId: s })));
    expect(d.stats()).toMatchObject({ enqueued: 2, dropped: 3, queued: 2 });
    expect(log.warnings.map((w) => w.msg)).toEqual(['alert queue full; alerts dropped']);
  });

  it('never throws from notify, and drops (counting) before start', () => {
    const log = memoryLog();
    const d = createAlertDispatcher({ log }, { rules: [rule()], stateDir: join(root, 'never'), publicBaseUrl: 'http://x' });
    expect(() => d.notify([null as never, anomaly(seenNow())])).not.toThrow();
    expect(d.stats()).toMatchObject({ matched: 1, dropped: 1 });
    expect(log.warnings.map((w) => w.msg)).toEqual(['alert matching failed; anomaly skipped', 'alert dispatcher is not running; alerts dropped']);
  });
});

describe('AlertDispatcher: delivery to a webhook', () => {
  it('POSTs the payload with the rule headers, JSON content type and an idempotency key that stays the same across retries after a 500', async () => {
    const hook = await receiver([{ status: 500 }]);
    const { d } = await dispatcher([rule({ name: 'loops', webhook: { url: hook.url, headers: { 'X-Token': 's3cret' } } })]);
    d.notify([anomaly()]);
    await until(() => d.stats().delivered === 1);
    await hook.close();
    expect(hook.received).toHaveLength(2);
    const [first, second] = hook.received;
    expect(first?.headers).toMatchObject({ 'content-type': 'application/json', 'x-token': 's3cret', 'idempotency-key': expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(second?.headers['idempotency-key']).toBe(first?.headers['idempotency-key']);
    expect(first?.body).toMatchObject({ rule: 'loops', session_url: 'https://af.example.com/api/v1/sessions/s1', anomaly: { anomaly_id: 'an-1', detected_at: '2025-01-01T00:00:00.000Z' } });
    expect(d.stats()).toMatchObject({ retries: 1, failed: 0 });
  });

  it('waits as long as a 429 Retry-After asks before retrying', async () => {
    const hook = await receiver([{ status: 429, headers: { 'retry-after': '7' } }]);
    const { d, clock } = await dispatcher([rule({ webhook: { url: hook.url, headers: {} } })]);
    d.notify([anomaly()]);
    await until(() => d.stats().delivered === 1);
    await hook.close();
    expect(hook.received).toHaveLength(2);
    expect(clock.delays).toContain(7_000);
  });

  it('does not retry a 400', async () => {
    const hook = await receiver([{ status: 400 }]);
    const { d, log } = await dispatcher([rule({ webhook: { url: hook.url, headers: {} } })]);
    d.notify([anomaly()]);
    await until(() => d.stats().failed === 1);
    await hook.close();
    expect(hook.received).toHaveLength(1);
    expect(log.warnings).toEqual([{ msg: 'alert webhook refused the delivery; not retried', obj: expect.objectContaining({ status: 400, error: 'HTTP 400: nope' }) }]);
  });

  it('gives up after the rule\'s retries', async () => {
    const hook = await receiver([{ status: 503 }, { status: 502 }, { status: 500 }, { status: 200 }]);
    const { d } = await dispatcher([rule({ retries: 2, webhook: { url: hook.url, headers: {} } })]);
    d.notify([anomaly()]);
    await until(() => d.stats().failed === 1);
    await hook.close();
    expect(hook.received).toHaveLength(3);
    expect(d.stats()).toMatchObject({ retries: 2, delivered: 0, queued: 0 });
  });
});

describe('AlertDispatcher.sendTest', () => {
  it('sends a test alert now and reports the answer', async () => {
    const hook = await receiver([{ status: 200 }, { status: 404 }]);
    const { d } = await dispatcher([rule({ name: 'chat', kind: 'stuck.stale', webhook: { url: hook.url, headers: {} } })]);
    expect(await d.sendTest('chat')).toEqual({ ok: true, status: 200 });
    expect(await d.sendTest('chat')).toEqual({ ok: false, status: 404, error: 'HTTP 404: nope' });
    expect(await d.sendTest('nope')).toEqual({ ok: false, status: null, error: "no alert rule named 'nope'" });
    await hook.close();
    expect(hook.received[0]?.body).toMatchObject({ rule: 'chat', test: true, anomaly: { kind: 'stuck.stale' }, text: expect.stringMatching(/^\[test\] /) });
    expect(d.stats().enqueued).toBe(0);
  });

  it('reports a receiver that is not there', async () => {
    const hook = await receiver();
    await hook.close();
    const { d } = await dispatcher([rule({ name: 'chat', webhook: { url: hook.url, headers: {} } })]);
    expect(await d.sendTest('chat')).toEqual({ ok: false, status: null, error: 'ECONNREFUSED' });
  });
});
