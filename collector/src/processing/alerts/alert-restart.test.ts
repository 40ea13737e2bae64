import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createAlertDispatcher } from './alert-dispatcher.js';
import { anomaly, memoryLog, receiver, rule, seenNow, until } from './test-alerts.js';

const root = mkdtempSync(join(tmpdir(), 'agentflow-alerts-restart-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A dispatcher on the real clock whose first retry comes a minute later: past any stop deadline here. */
function dispatcherAt(stateDir: string, url: string) {
  const log = memoryLog();
  const d = createAlertDispatcher(
    { log, random: () => 0 },
    { rules: [rule({ webhook: { url, headers: {} }, backoffInitialMs: 120_000, backoffMaxMs: 120_000 })], stateDir, publicBaseUrl: 'http://x' },
  );
  return { d, log };
}

const journalLines = (dir: string) => readFileSync(join(dir, 'alerts.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { t: string });

describe('AlertDispatcher across restarts', () => {
  it('delivers exactly once what was enqueued while the receiver was down, and keeps the interval', async () => {
    const dir = join(root, 'down');
    const reserved = await receiver();
    await reserved.close();
    const first = dispatcherAt(dir, reserved.url);
    await first.d.start();
    first.d.notify([anomaly(seenNow())]);
    await until(() => first.d.stats().retries === 1); // refused: the next attempt is a minute away
    await first.d.stop(50);
    expect(journalLines(dir).map((r) => r.t).sort()).toEqual(['q', 's']);

    const hook = await receiver([], reserved.port);
    const second = dispatcherAt(dir, hook.url);
    await second.d.start();
    await until(() => hook.received.length === 1);
    second.d.notify([anomaly({ version: 2n, ...seenNow() })]); // the interval still holds after the restart
    await until(() => second.d.stats().delivered === 1);
    expect(second.d.stats()).toMatchObject({ suppressed: 1, enqueued: 0 });
    await second.d.stop(1_000);
    expect(journalLines(dir).map((r) => r.t)).toEqual(['s']); // compacted: nothing pending

    const third = dispatcherAt(dir, hook.url);
    await third.d.start();
    expect(third.d.stats().queued).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await third.d.stop(1_000);
    await hook.close();
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]?.body).toMatchObject({ anomaly: { anomaly_id: 'an-1', count: 6 } });
  });

  it('stop delivers what is due before it returns', async () => {
    const hook = await receiver();
    const { d } = dispatcherAt(join(root, 'flush'), hook.url);
    await d.start();
    d.notify(['a', 'b', 'c', 'd', 'e', 'f'].map((s) => anomaly({ sessionId: s, ...seenNow() })));
    await d.stop(5_000);
    await hook.close();
    expect(hook.received.map((r) => (r.body as { anomaly: { session_id: string } }).anomaly.session_id).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(d.stats()).toMatchObject({ delivered: 6, queued: 0 });
  });

  it('aborts a request still unanswered at the stop deadline and sends it again after the restart, with the same idempotency key', async () => {
    const dir = join(root, 'hang');
    const hook = await receiver(['hang']);
    const first = dispatcherAt(dir, hook.url);
    await first.d.start();
    first.d.notify([anomaly(seenNow())]);
    await until(() => hook.received.length === 1);
    await first.d.stop(50);
    expect(first.d.stats()).toMatchObject({ delivered: 0, queued: 1, retries: 0 });

    const second = dispatcherAt(dir, hook.url);
    await second.d.start();
    await until(() => second.d.stats().delivered === 1);
    await second.d.stop(1_000);
    await hook.close();
    expect(hook.received).toHaveLength(2);
    expect(hook.received[1]?.headers['idempotency-key']).toBe(hook.received[0]?.headers['idempotency-key']);
  });

  it('skips a torn last line (a crash mid-write) and resumes the rest', async () => {
    const dir = join(root, 'torn');
    const reserved = await receiver();
    await reserved.close();
    const first = dispatcherAt(dir, reserved.url);
    await first.d.start();
    first.d.notify([anomaly(seenNow()), anomaly({ sessionId: 's2', ...seenNow() })]);
    await first.d.stop(0);
    appendFileSync(join(dir, 'alerts.jsonl'), '{"t":"q","id":"x","ru');

    const second = dispatcherAt(dir, reserved.url);
    await second.d.start();
    expect(second.log.infos).toEqual([{ msg: 'alert dispatcher started', obj: { rules: 1, resumed: 2, orphaned: 0, unreadable: 1 } }]);
    await second.d.stop(0);
    expect(journalLines(dir)).toHaveLength(4); // compacted at start and stop: two deliveries, two marks
  });

  it('compacts the journal as it grows, not only at start and stop', async () => {
    const dir = join(root, 'grow');
    const d = createAlertDispatcher(
      { log: memoryLog(), fetch: async () => new Response('ok') },
      { rules: [rule()], stateDir: dir, publicBaseUrl: 'http://x', maxJournalBytes: 4_096 },
    );
    await d.start();
    for (let i = 0; i < 100; i++) {
      d.notify([anomaly({ sessionId: `s${i}`, ...seenNow() })]);
      await until(() => d.stats().delivered === i + 1);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    const done = journalLines(dir).filter((r) => r.t === 'd').length;
    expect(done).toBeLessThan(50); // without compaction: 100
    await d.stop(1_000);
    expect(journalLines(dir).map((r) => r.t)).toEqual(Array(100).fill('s'));
  });

  it('stop completes in a process of its own with the receiver down, without waiting out the retries', async () => {
    // Run from the build in a process of its own: inside vitest, the runner keeps the event loop
    // alive, and an early exit (exit 13, stop never resolved) would go unseen.
    const dist = join(dirname(fileURLToPath(import.meta.url)), '../../../dist/processing/alerts/index.js');
    const script = `
      const { createAlertDispatcher } = await import(${JSON.stringify(dist)});
      const rule = ${JSON.stringify({ ...rule({ retries: 20, backoffInitialMs: 50, backoffMaxMs: 50 }) })};
      const d = createAlertDispatcher({ log: { info() {}, warn() {} } }, { rules: [rule], stateDir: ${JSON.stringify(join(root, 'exit'))}, publicBaseUrl: 'http://x' });
      await d.start();
      const ns = BigInt(Date.now()) * 1000000n;
      d.notify([{ tenantId: 'default', anomalyId: 'a', sessionId: 's', traceId: '', agentName: 'x', kind: 'loop.repeat_call', severity: 'critical',
        detail: 'd', evidence: [], count: 1, detectedAt: ns, lastSeenAt: ns, resolvedAt: null, version: 1n }]);
      const t0 = Date.now();
      await d.stop(5000);
      console.log('stopped', d.stats().queued, Date.now() - t0 < 2000);`;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 }, (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)));
    });
    expect(stdout.trim()).toBe('stopped 1 true');
  });
});
