import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentTracker, startAgentTelemetry, type AgentTelemetry } from '@agentflow/instrumentation';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';
import { connectLive } from './helpers/live-client.js';

/**
 * End to end, as an operator would meet a loop: an agent instrumented with the real OTel SDK and
 * agentflow's instrumentation calls the same tool again and again while its session is open. Its
 * exports pass through a proxy that sends every export twice (an exporter retrying after a lost
 * answer). The loop must show on the live stream within 2 s of the export that completed it, be
 * stored once, make the guard answer `stop`, and reach a webhook once.
 */
let t: TestCollector;
let proxy: Server;
let proxyUrl = '';
let webhook: Server;
/** When each export was acknowledged to the agent, ms. */
const acks: number[] = [];
/** What the alert webhook received. */
const alerts: { headers: IncomingHttpHeaders; body: { rule: string; text: string; anomaly: { session_id: string; kind: string } } }[] = [];
const rulesDir = mkdtempSync(join(tmpdir(), 'agentflow-alert-rules-'));

/** A loopback server on an ephemeral port; returns its base URL. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening');
  return `http://127.0.0.1:${address.port}`;
}

beforeAll(async () => {
  webhook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      alerts.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200).end();
    });
  });
  const webhookUrl = await listen(webhook);
  const rulesFile = join(rulesDir, 'alerts.yaml');
  writeFileSync(rulesFile, `rules:\n  - name: loops\n    kind_prefix: loop\n    webhook: { url: "${webhookUrl}/hook" }\n    interval: 10m\n`);
  t = await startTestCollector({ AGENTFLOW_ALERTS_FILE: rulesFile });
  await t.listen();
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const send = () => fetch(`${t.url}${req.url}`, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body });
      void send().then(async (first) => {
        const answer = Buffer.from(await first.arrayBuffer());
        // The retry an exporter makes when the first answer is lost: the same body again.
        await (await send()).arrayBuffer();
        acks.push(Date.now());
        res.writeHead(first.status, { 'content-type': first.headers.get('content-type') ?? 'application/x-protobuf' }).end(answer);
      });
    });
  });
  proxyUrl = await listen(proxy);
});

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await new Promise((resolve) => webhook?.close(resolve));
  await t?.stop();
  rmSync(rulesDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a tool loop caught while the agent runs', () => {
  // A timing bound on a shared 2-core machine: one retry absorbs a burst of load from other test files.
  it('streams the anomaly within 2 s, stores it once, and the guard answers stop', { retry: 1 }, async () => {
    const live = await connectLive(t.url);
    const telemetry: AgentTelemetry = startAgentTelemetry({ serviceName: 'forecaster', endpoint: proxyUrl, exportIntervalMs: 100 });
    // Content capture on: a call can only be said to repeat its arguments when they were recorded.
    const tracker = createAgentTracker({ captureContent: true, guard: { endpoint: t.url, timeoutMs: 2_000 } });
    const outcome = await tracker.runSession({ agentName: 'weather-agent', goal: 'forecast for Lisbon' }, async (session) => {
      for (let i = 1; i <= 5; i++) {
        await session.tool({ name: 'get_forecast', callId: `call-${i}`, args: { city: 'Lisbon' } }, async () => ({ temp: 21 }));
        await sleep(20);
      }
      const fifthEnded = Date.now();
      // The fifth identical call makes the loop critical: wait for the export that carried it.
      while (!acks.some((a) => a > fifthEnded)) await sleep(10);
      const exportedAt = acks.find((a) => a > fifthEnded) as number;
      const event = await live.waitUntil((e) => e.type === 'anomaly' && e.data.data.kind === 'loop.repeat_call' && e.data.data.severity === 'critical');
      const verdict = await session.guard();
      return { session: session.sessionId, event, exportedAt, verdict };
    });
    await live.close();

    expect(outcome.event).toBeDefined();
    expect(outcome.event?.data).toMatchObject({ sessionId: outcome.session, agent: 'weather-agent' });
    expect(outcome.event?.data.data).toMatchObject({ count: 5, detail: 'get_forecast called 5 times in a row with the same arguments', resolvedAt: null });
    expect((outcome.event?.atMs ?? Infinity) - outcome.exportedAt).toBeLessThan(2_000);
    expect(outcome.verdict.verdict).toBe('stop');
    expect(outcome.verdict.reasons[0]).toMatchObject({ kind: 'loop.repeat_call', severity: 'critical' });
    expect(outcome.verdict.usage.tool_calls).toBe(5);

    await telemetry.shutdown();
    const rows = await t.query<{ kind: string; n: number; resolved: number }>(
      `SELECT kind, toUInt32(count()) AS n, toUInt32(countIf(resolved_at IS NOT NULL)) AS resolved FROM agentflow.anomalies WHERE session_id = {s:String} GROUP BY kind`,
      { s: outcome.session },
    );
    // Stored once, though detected on every pass and every export arrived twice; resolved now
    // that the session ended. The same result five times is also no progress.
    expect(rows.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: 'loop.no_progress', n: 1, resolved: 1 }, { kind: 'loop.repeat_call', n: 1, resolved: 1 },
    ]);

    // One alert for the rule and session within its interval: not one per anomaly, version or
    // duplicated export.
    const delivered = () => alerts.filter((a) => a.body.anomaly.session_id === outcome.session);
    for (let i = 0; i < 500 && delivered().length === 0; i++) await sleep(10);
    // Long enough for a second alert to come, were the interval not kept.
    await sleep(1_000);
    const forSession = delivered();
    expect(forSession).toHaveLength(1);
    expect(forSession[0]?.body).toMatchObject({ rule: 'loops', anomaly: { kind: expect.stringMatching(/^loop\./) } });
    expect(forSession[0]?.body.text).toContain('weather-agent');
    expect(forSession[0]?.headers['idempotency-key']).toMatch(/.+/);
  });
});
