/**
 * The anomaly read API (`GET /api/v1/anomalies`), running sessions (`GET /api/v1/sessions?status=running`),
 * anomalies in the session list and detail, and anomaly figures in the analytics, on the real
 * embedded engine with the seed of helpers/anomaly-seed.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnomalyRow } from '@agentflow/schemas';
import type { TestCollector } from './helpers/test-collector.js';
import { BASE, iso, MS, newestFirst, NOW, seedAnomalies, startSeedCollector, type Seed } from './helpers/anomaly-seed.js';
import type { AnomalyPage } from '../src/api/anomalies/index.js';
import type { RunningSessionPage, SessionDetail, SessionPage } from '../src/api/sessions/index.js';
import type { AnalyticsReport, Overview } from '../src/api/analytics/index.js';

let t: TestCollector;
let seed: Seed;
beforeAll(async () => {
  t = await startSeedCollector();
  seed = await seedAnomalies(t);
});
afterAll(async () => t?.stop());

async function get<T>(url: string): Promise<{ status: number; body: T; text: string }> {
  const res = await t.collector.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json<T>(), text: res.body };
}

async function ids(query: string): Promise<string[]> {
  const res = await get<AnomalyPage>(`/api/v1/anomalies?limit=500${query ? `&${query}` : ''}`);
  expect(res.status, res.text).toBe(200);
  return res.body.anomalies.map((a) => a.anomaly_id);
}

const expected = (keep: (a: AnomalyRow) => boolean) => newestFirst(seed.anomalies.filter(keep));

describe('GET /api/v1/anomalies', () => {
  it('answers each anomaly once, in its latest version, with every field', async () => {
    expect(await ids('')).toEqual(expected(() => true));
    const { body } = await get<AnomalyPage>(`/api/v1/anomalies?session=${seed.looper.sessionId}`);
    const a = seed.named.repeat;
    expect(body.anomalies[1]).toEqual({
      anomaly_id: a.anomalyId, session_id: seed.looper.sessionId, trace_id: seed.looper.traceId, agent_name: 'looper', kind: 'loop.repeat_call',
      severity: 'critical', detail: 'get_forecast called 5 times in a row with the same arguments', evidence: seed.looper.toolSpanIds, count: 5,
      detected_at: iso(a.detectedAt), last_seen_at: iso(BASE + 45_000n * MS), resolved_at: null,
    });
    expect(body.anomalies[0]).toMatchObject({ kind: 'loop.ping_pong', resolved_at: iso(BASE + 50_000n * MS) });
    expect(body.next_cursor).toBeNull();
  });

  it('walks every anomaly page by page, newest detected first, without gaps or repeats (ties ordered by id)', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: AnomalyPage } = await get<AnomalyPage>(`/api/v1/anomalies?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.body.anomalies.length).toBeLessThanOrEqual(7);
      seen.push(...res.body.anomalies.map((x) => x.anomaly_id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(Math.ceil(65 / 7));
    expect(seen).toEqual(expected(() => true));
    expect(new Set(seen).size).toBe(65);
  });

  it('answers 50 by default', async () => {
    const { body } = await get<AnomalyPage>('/api/v1/anomalies');
    expect(body.anomalies).toHaveLength(50);
    expect(body.next_cursor).toEqual(expect.any(String));
  });

  const r = () => seed.named;
  const filters: [string, () => string, (a: AnomalyRow) => boolean][] = [
    ['an exact kind', () => 'kind=loop.repeat_call', (a) => a.kind === 'loop.repeat_call'],
    ['a kind family', () => 'kind=loop', (a) => a.kind.startsWith('loop.')],
    ['a kind family with its dot', () => 'kind=loop.', (a) => a.kind.startsWith('loop.')],
    ['another family', () => 'kind=stuck', (a) => a.kind.startsWith('stuck.')],
    ['severity critical (the latest version decides)', () => 'severity=critical', (a) => a.severity === 'critical'],
    ['severity warning (an older warning version does not count)', () => 'severity=warning', (a) => a.severity === 'warning'],
    ['agent', () => 'agent=looper', (a) => a.agentName === 'looper'],
    ['session, any case', () => `session=${seed.looper.sessionId.toUpperCase()}`, (a) => a.sessionId === seed.looper.sessionId],
    ['state open (resolved in the latest version is not open)', () => 'state=open', (a) => a.resolvedAt === null],
    ['state resolved', () => 'state=resolved', (a) => a.resolvedAt !== null],
    ['from/to over detection time', () => `from=${iso(BASE - 20n * 60_000n * MS)}&to=${iso(BASE + 20_000n * MS)}`, (a) => a.detectedAt >= BASE - 20n * 60_000n * MS && a.detectedAt < BASE + 20_000n * MS],
    ['several at once', () => 'kind=loop&state=open&agent=looper', (a) => a.anomalyId === r().repeat.anomalyId],
  ];
  it.each(filters)('filters by %s', async (_name, query, keep) => {
    const want = expected(keep);
    expect(want.length).toBeGreaterThan(0);
    expect(await ids(query())).toEqual(want);
  });

  it.each([
    ['a misspelt kind family', 'kind=lopp', /kind: expected a kind such as loop.repeat_call, or a family: loop, stuck, budget, workflow, quality/],
    ['an unknown kind of a known family', 'kind=loop.nope', /kind: expected a kind/],
    ['an unknown severity', 'severity=fatal', /severity/],
    ['an unknown state', 'state=closed', /state/],
    ['limit 0', 'limit=0', /limit/],
    ['limit over 500', 'limit=501', /limit/],
    ['a time without a zone', 'from=2025-01-01T10:00:00', /from: expected an ISO 8601/],
    ['a malformed session id', 'session=xyz', /session: a session id is 16 hex digits/],
    ['a forged cursor', 'cursor=bm90LWEtY3Vyc29y', /cursor: not a cursor this server issued/],
    ['unknown parameters, all named', 'sevrity=critical&open=1', /invalid query parameter sevrity, open: unknown parameter/],
  ])('answers 400 to %s', async (_what, query, message) => {
    const res = await get<{ error: { code: string; message: string } }>(`/api/v1/anomalies?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'AF_BAD_REQUEST', message: expect.stringMatching(message) });
  });

  it("never answers another tenant's anomalies stored under the same ids", async () => {
    const res = await get<AnomalyPage>('/api/v1/anomalies?limit=500');
    expect(res.text).not.toContain('INTRUDER');
    expect(res.body.anomalies).toHaveLength(65);
  });
});

describe('GET /api/v1/sessions?status=running', () => {
  it('lists the sessions started and not ended, newest first, with activity, process status and open anomalies', async () => {
    const res = await get<RunningSessionPage>('/api/v1/sessions?status=running');
    expect(res.status, res.text).toBe(200);
    expect(res.text).not.toContain('INTRUDER');
    const [runner, ghost] = res.body.sessions;
    expect(res.body.sessions.map((s) => s.agent_name)).toEqual(['runner', 'ghost']);
    expect(runner).toMatchObject({
      session_id: seed.runner.sessionId, trace_id: seed.runner.traceId, agent_type: 'crawler', goal: 'crawl the docs', status: 'running',
      process_status: 'running', instance_status: 'online', current_activity: 'execute_tool fetch_page', started_at: iso(seed.runner.startedNs),
      ended_at: null, last_activity_at: iso(seed.runner.activityNs), service_instance_id: 'inst-up', open_anomalies: 1, anomalies: 1,
    });
    expect(runner!.idle_ms).toBeGreaterThanOrEqual(10_000);
    // Its process stopped sending heartbeats: orphaned; its type comes from the process's resource.
    expect(ghost).toMatchObject({ process_status: 'orphaned', instance_status: 'offline', agent_type: 'ghost-type', current_activity: 'chat gpt-4o', open_anomalies: 1 });
    expect(res.body.next_cursor).toBeNull();
  });

  it('pages and filters the running list', async () => {
    const first = await get<RunningSessionPage>('/api/v1/sessions?status=running&limit=1');
    expect(first.body.sessions.map((s) => s.agent_name)).toEqual(['runner']);
    const second = await get<RunningSessionPage>(`/api/v1/sessions?status=running&limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body).toMatchObject({ sessions: [{ agent_name: 'ghost' }], next_cursor: null });
    expect((await get<RunningSessionPage>('/api/v1/sessions?status=running&agent=ghost')).body.sessions.map((s) => s.agent_name)).toEqual(['ghost']);
    expect((await get<RunningSessionPage>('/api/v1/sessions?status=running&agent_type=crawler')).body.sessions.map((s) => s.agent_name)).toEqual(['runner']);
    expect((await get<RunningSessionPage>('/api/v1/sessions?status=running&q=CRAWL')).body.sessions.map((s) => s.agent_name)).toEqual(['runner']);
    expect((await get<RunningSessionPage>(`/api/v1/sessions?status=running&from=${iso(NOW - 300_000n * MS)}`)).body.sessions.map((s) => s.agent_name)).toEqual(['runner']);
    expect((await get<RunningSessionPage>('/api/v1/sessions?status=running&implicit=true')).body.sessions).toEqual([]);
  });

  it('refuses filters a running session cannot answer yet', async () => {
    const res = await get<{ error: { message: string } }>('/api/v1/sessions?status=running&min_cost=1');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('invalid query parameter min_cost: not available with status=running (a running session has no figures yet)');
  });
});

describe('anomalies of sessions', () => {
  it('counts open and all anomalies per session in the list', async () => {
    const { body } = await get<SessionPage>('/api/v1/sessions?limit=500');
    const counts = Object.fromEntries(body.sessions.map((s) => [s.agent_name, [s.open_anomalies, s.anomalies]]));
    expect(counts).toEqual({ looper: [1, 2], poller: [1, 1], quiet: [0, 0] });
  });

  it("lists a session's anomalies in its detail, open first, each in its latest version", async () => {
    const { body } = await get<SessionDetail>(`/api/v1/sessions/${seed.looper.sessionId}`);
    expect(body.anomalies.map((a) => [a.kind, a.severity, a.count, a.resolved_at === null])).toEqual([
      ['loop.repeat_call', 'critical', 5, true], ['loop.ping_pong', 'warning', 3, false],
    ]);
    expect(JSON.stringify(body)).not.toContain('INTRUDER');
    expect((await get<SessionDetail>(`/api/v1/sessions/${seed.quiet.sessionId}`)).body.anomalies).toEqual([]);
  });
});

describe('anomalies in the analytics', () => {
  const range = `from=${iso(BASE - 86_400_000n * MS)}&to=${iso(NOW + 60_000n * MS)}`;

  it('counts the range’s anomalies by kind and by agent, open and critical', async () => {
    const { body } = await get<Overview>(`/api/v1/analytics/overview?${range}`);
    expect(body.anomalies).toEqual({
      anomalies: 65, open: 34, critical: 22,
      by_kind: [
        { kind: 'loop.repeat_error', anomalies: 60, open: 30, critical: 20 },
        { kind: 'stuck.stale', anomalies: 2, open: 2, critical: 0 },
        { kind: 'loop.repeat_call', anomalies: 1, open: 1, critical: 1 },
        { kind: 'stuck.orphaned', anomalies: 1, open: 1, critical: 1 },
        { kind: 'loop.ping_pong', anomalies: 1, open: 0, critical: 0 },
      ],
      by_agent: [
        { agent: 'bulk-agent', anomalies: 60, open: 30, critical: 20 },
        { agent: 'looper', anomalies: 2, open: 1, critical: 1 },
        { agent: 'ghost', anomalies: 1, open: 1, critical: 1 },
        { agent: 'poller', anomalies: 1, open: 1, critical: 0 },
        { agent: 'runner', anomalies: 1, open: 1, critical: 0 },
      ],
    });
  });

  it('keeps to the range and, for one agent, to that agent', async () => {
    const recent = await get<Overview>(`/api/v1/analytics/overview?from=${iso(NOW - 3_600_000n * MS)}&to=${iso(NOW + 60_000n * MS)}`);
    expect(recent.body.anomalies.by_kind.map((k) => k.kind)).toEqual(['stuck.orphaned', 'stuck.stale']);
    const { body } = await get<AnalyticsReport>(`/api/v1/analytics/agents/looper?${range}`);
    expect(body.anomalies).toMatchObject({ anomalies: 2, open: 1, by_agent: [{ agent: 'looper', anomalies: 2 }] });
    expect(body.anomalies.by_kind.map((k) => k.kind)).toEqual(['loop.repeat_call', 'loop.ping_pong']);
  });
});
