/**
 * How the session endpoints read storage: the newest-first list in ranges of start times, and the
 * detail's reads of the latest versions without FINAL. Answers are compared with plain queries on
 * the FINAL views over the same rows.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE, GEN_AI, GEN_AI_OPERATION, TABLES } from '@agentflow/schemas';
import { exportOf } from './helpers/agent-spans.js';
import { newSpanId, newTraceId, nowNanos } from './helpers/otlp-payloads.js';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';
import { LIST_SESSIONS_QUERY, listSessions } from '../src/api/sessions/list-sessions.js';
import type { SessionDetail, SessionPage, TreeNode } from '../src/api/sessions/index.js';

let t: TestCollector;
const MS = 1_000_000n;
const DAY_MS = 86_400_000;

/**
 * 400 sessions of the default tenant (and 40 of another) from an hour ahead of now back over
 * five months (within the derived rows' retention), denser the newer: n³/5 seconds old, the first twenty in pairs sharing an instant.
 * Every seventh session is stored twice, the newer version failed.
 */
const FLEET = `
SELECT if(number % 11 = 10, 'other', 'default') AS tenant_id, leftPad(lower(hex(cityHash64('session', number))), 16, '0') AS session_id,
  lower(hex(sipHash128('trace', number))) AS trace_id, session_id AS root_session_id,
  concat('agent-', toString(number % 4)) AS agent_name,
  fromUnixTimestamp64Nano({now:Int64}) + INTERVAL 1 HOUR - toIntervalSecond(intDiv(pow(if(number < 20, intDiv(number, 2) * 2, number), 3), 5)) AS started_at,
  started_at + INTERVAL 2 SECOND AS ended_at, 'completed' AS status, 1 AS version
FROM numbers(440)`;

beforeAll(async () => {
  t = await startTestCollector();
  const columns = 'tenant_id, session_id, trace_id, root_session_id, agent_name, started_at, ended_at, status, version';
  const insert = `INSERT INTO ${DATABASE}.${TABLES.SESSIONS_DATA} (${columns})`;
  const params = { now: (BigInt(Date.now()) * MS).toString() };
  await t.collector.storage.client.command({ query: `${insert} ${FLEET}`, query_params: params });
  await t.collector.storage.client.command({
    query: `${insert} SELECT * REPLACE ('failed' AS status, 2 AS version) FROM (${FLEET}) WHERE cityHash64(session_id) % 7 = 0`,
    query_params: params,
  });
});
afterAll(async () => t?.stop());

async function get<T>(url: string): Promise<T> {
  const res = await t.collector.app.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
}

/** Session ids of the default tenant matching `where`, newest first, from the FINAL view. */
async function expectedIds(where: string): Promise<string[]> {
  const rows = await t.query<{ session_id: string }>(
    `SELECT session_id FROM ${DATABASE}.${TABLES.SESSIONS} WHERE tenant_id = 'default' AND ${where} ORDER BY started_at DESC, session_id DESC`,
  );
  return rows.map((r) => r.session_id);
}

async function walk(query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const page: SessionPage = await get<SessionPage>(`/api/v1/sessions?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
    ids.push(...page.sessions.map((s) => s.session_id));
    cursor = page.next_cursor;
    pages++;
  } while (cursor !== null);
  return { ids, pages };
}

const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString();

describe('GET /sessions read in ranges of start times', () => {
  it.each([
    ['everything, 7 a page', '', 'true', 7],
    ['everything, 50 a page', '', 'true', 50],
    ['everything, one page', '', 'true', 400],
    ['the latest status only', '&status=failed', "status = 'failed'", 9],
    ['an agent', '&agent=agent-2', "agent_name = 'agent-2'", 11],
    ['from and to', `&from=${iso(60)}&to=${iso(2)}`, `started_at >= now64(9) - INTERVAL 60 DAY AND started_at < now64(9) - INTERVAL 2 DAY`, 13],
  ])('pages through %s exactly as one newest-first query does', async (_what, query, where, limit) => {
    const expected = await expectedIds(where);
    expect(expected.length).toBeGreaterThan(limit / 2);
    const { ids, pages } = await walk(query, limit);
    expect(ids).toEqual(expected);
    expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
  });

  it('reads a page the last hour fills with one statement, and any page with a few (plus one for the page\'s anomaly counts)', async () => {
    const client = t.collector.storage.client;
    let statements = 0;
    const counting = { query: (params: never) => (statements++, client.query(params)) } as unknown as ClickHouseClient;
    const newest = await listSessions(counting, 'default', LIST_SESSIONS_QUERY.parse({ limit: '5' }));
    expect(newest.sessions).toHaveLength(5);
    expect(statements).toBe(1 + 1);
    statements = 0;
    const all = await listSessions(counting, 'default', LIST_SESSIONS_QUERY.parse({ limit: '500' }));
    expect(all.sessions.map((s) => s.session_id)).toEqual(await expectedIds('true'));
    expect(statements).toBeLessThanOrEqual(5 + 1);
  });
});

describe('GET /sessions/:id reads', () => {
  it('lists an action that started after its session ended (its parent span never arrived)', async () => {
    const traceId = newTraceId();
    const start = nowNanos(-60_000);
    const agent = {
      traceId, spanId: newSpanId(), name: 'invoke_agent stray', kind: 1, start, end: start + 1_000n * MS,
      attributes: { [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.INVOKE_AGENT, [GEN_AI.AGENT_NAME]: 'stray' },
    };
    // Its parent is a span no export carries: the tool call joins the trace's first session.
    const orphan = {
      traceId, spanId: newSpanId(), parentSpanId: newSpanId(), name: 'execute_tool late', kind: 1, start: start + 5_000n * MS,
      end: start + 6_000n * MS, attributes: { [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.EXECUTE_TOOL, [GEN_AI.TOOL_NAME]: 'late' },
    };
    const res = await t.collector.app.inject({
      method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf' }, payload: exportOf([agent, orphan]),
    });
    expect(res.statusCode).toBe(200);
    await t.query('SELECT 1');
    const detail = await get<SessionDetail>(`/api/v1/sessions/${agent.spanId.toString('hex')}`);
    expect(detail.session.actions).toBe(1);
    expect(detail.actions.map((a) => a.tool_name)).toEqual(['late']);
  });

  it('builds the tree from the latest versions: a root found later takes its sub-agent', async () => {
    const trace = 'ab'.repeat(16);
    const [root, child] = ['1111111111111111', '2222222222222222'];
    const insert = (id: string, rootId: string, parent: string, version: number) => t.collector.storage.client.command({
      query: `INSERT INTO ${DATABASE}.${TABLES.SESSIONS_DATA} (tenant_id, session_id, trace_id, root_session_id, parent_session_id, agent_name, status, started_at, ended_at, version)
              VALUES ('default', {id:String}, {trace:String}, {root:String}, {parent:String}, {id:String}, 'completed', now64(9), now64(9), {version:UInt64})`,
      query_params: { id, trace, root: rootId, parent, version },
    });
    // First derived alone (its parent had not arrived), then again under the root.
    await insert(child, child, '', 1);
    await insert(root, root, '', 2);
    await insert(child, root, root, 2);
    const tree = await get<TreeNode>(`/api/v1/sessions/${child}/tree`);
    expect(tree.session.session_id).toBe(root);
    expect(tree.children.map((c) => c.session.session_id)).toEqual([child]);
    const detail = await get<SessionDetail>(`/api/v1/sessions/${root}`);
    expect(detail.children.map((c) => c.session_id)).toEqual([child]);
    expect(detail.totals.subtree.sessions).toBe(2);
  });
});
