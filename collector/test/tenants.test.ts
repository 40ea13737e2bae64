import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { agentRun, exportOf } from './helpers/agent-spans.js';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';

/** Two tenants ingest; every read sees only the caller's rows, whatever the query tries. */
const KEYS = {
  acmeIngest: 'acme-ingest-key-000001',
  acmeRead: 'acme-read-key-00000001',
  acmeAdmin: 'acme-admin-key-0000001',
  globexIngest: 'globex-ingest-key-0001',
  globexRead: 'globex-read-key-000001',
};
let t: TestCollector;

beforeAll(async () => {
  t = await startTestCollector({
    AGENTFLOW_API_KEYS: [
      `acme:ingest:${KEYS.acmeIngest}`, `acme:read:${KEYS.acmeRead}`, `acme:admin:${KEYS.acmeAdmin}`,
      `globex:ingest:${KEYS.globexIngest}`, `globex:read:${KEYS.globexRead}`,
    ].join(','),
  });
  for (const [key, name, runs] of [[KEYS.acmeIngest, 'acme-bot', 3], [KEYS.globexIngest, 'globex-bot', 5]] as const) {
    for (let i = 0; i < runs; i++) {
      const run = agentRun(name, 2, 1);
      const res = await ingest(exportOf([run.agent, ...run.llmCalls, ...run.toolCalls]), { authorization: `Bearer ${key}` });
      expect(res.statusCode, res.body).toBe(200);
    }
  }
  await t.query('SELECT 1'); // waits until everything is inserted and assembled
});
afterAll(async () => t?.stop());

function ingest(payload: Buffer, headers: Record<string, string>) {
  return t.collector.app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf', ...headers }, payload });
}

function sql(query: string, key: string) {
  return t.collector.app.inject({ method: 'POST', url: '/api/v1/sql', headers: { 'x-api-key': key }, payload: { query } });
}

async function rows(query: string, key: string): Promise<Record<string, unknown>[]> {
  const res = await sql(query, key);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().rows;
}

describe('API keys', () => {
  it('stamps each ingest with the key’s tenant', async () => {
    const stored = await t.query<{ TenantId: string; n: string }>(
      "SELECT TenantId, toString(count()) AS n FROM agentflow.otel_traces WHERE SpanName LIKE 'invoke_agent %' GROUP BY TenantId ORDER BY TenantId",
    );
    expect(stored).toEqual([{ TenantId: 'acme', n: '3' }, { TenantId: 'globex', n: '5' }]);
  });

  it('answers 401 without a key or with an unknown one, in the OTLP error shape on ingest', async () => {
    const body = exportOf([agentRun('x', 0, 0).agent]);
    const missing = await ingest(body, {});
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['content-type']).toContain('application/x-protobuf');
    expect(missing.rawPayload.toString('utf8')).toContain('missing API key');
    const wrong = await t.collector.app.inject({ method: 'POST', url: '/api/v1/sql', headers: { authorization: 'Bearer not-a-key' }, payload: { query: 'SELECT 1' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: { code: 'AF_UNAUTHENTICATED', message: 'invalid API key' } });
  });

  it('answers 403 when a read key ingests or an ingest key reads', async () => {
    const ingestWithRead = await ingest(exportOf([agentRun('x', 0, 0).agent]), { 'x-api-key': KEYS.acmeRead });
    expect(ingestWithRead.statusCode).toBe(403);
    expect(ingestWithRead.rawPayload.toString('utf8')).toContain('may not ingest telemetry');
    const readWithIngest = await sql('SELECT 1', KEYS.acmeIngest);
    expect(readWithIngest.statusCode).toBe(403);
    expect(readWithIngest.json().error.message).toMatch(/role 'ingest' and may not read data/);
    const adminWithRead = await t.collector.app.inject({ method: 'POST', url: '/api/v1/admin/rebuild', headers: { 'x-api-key': KEYS.acmeRead }, payload: { since: '1h' } });
    expect(adminWithRead.statusCode).toBe(403);
  });

  it('needs no key for the health check', async () => {
    expect((await t.collector.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe('SQL confined to the caller’s tenant', () => {
  const count = async (query: string, key: string) => Number((await rows(query, key))[0]?.n);

  it('counts only the caller’s raw spans and agent records', async () => {
    expect(await count('SELECT count() AS n FROM agentflow.otel_traces', KEYS.acmeRead)).toBe(12);
    expect(await count('SELECT count() AS n FROM agentflow.otel_traces', KEYS.globexRead)).toBe(20);
    expect(await count('SELECT count() AS n FROM agentflow.agent_sessions', KEYS.acmeRead)).toBe(3);
    expect(await count('SELECT count() AS n FROM agentflow.agent_actions_data', KEYS.globexRead)).toBe(15);
  });

  it.each([
    ['a subquery', "SELECT count() AS n FROM (SELECT * FROM agentflow.otel_traces WHERE TenantId = 'globex')"],
    ['an IN subquery', "SELECT count() AS n FROM agentflow.agent_sessions WHERE session_id IN (SELECT session_id FROM agentflow.agent_sessions_data WHERE tenant_id = 'globex')"],
    ['a UNION', "SELECT count() AS n FROM (SELECT TenantId FROM agentflow.otel_traces WHERE TenantId = 'globex' UNION ALL SELECT TenantId FROM agentflow.otel_logs)"],
    ['a CTE', "WITH g AS (SELECT * FROM agentflow.agent_sessions WHERE tenant_id = 'globex') SELECT count() AS n FROM g"],
    ['a comment hiding a clause', "SELECT count() AS n FROM agentflow.otel_traces /* WHERE 1 */ -- SETTINGS additional_table_filters = {}\n WHERE TenantId != 'acme'"],
    ['an alias', "SELECT count() AS n FROM agentflow.agent_actions AS a WHERE a.tenant_id = 'globex'"],
    ['a join', "SELECT count() AS n FROM agentflow.agent_sessions s JOIN agentflow.agent_actions a ON a.session_id = s.session_id WHERE a.tenant_id = 'globex'"],
  ])('returns nothing of the other tenant through %s', async (_how, query) => {
    expect(await count(query, KEYS.acmeRead)).toBe(0);
  });

  it.each([
    ['merge()', "SELECT count() AS n FROM merge('agentflow', '.*')", /table functions are not allowed: merge/],
    ['file()', "SELECT * FROM file('/etc/hostname', 'LineAsString')", /table functions are not allowed/],
    ['system tables', 'SELECT count() AS n FROM system.tables', /only agentflow tables can be queried, not system.tables/],
    ['system tables in a subquery', 'SELECT (SELECT count() FROM system.parts) AS n', /not system.parts/],
    ['another database', 'SELECT count() AS n FROM information_schema.tables', /not information_schema.tables/],
    ['its own SETTINGS', "SELECT count() AS n FROM agentflow.otel_traces SETTINGS additional_table_filters = {'agentflow.otel_traces': '1'}", /SETTINGS clause is not allowed/],
    ['a second statement', 'SELECT 1; SELECT count() FROM agentflow.otel_traces', /one statement/],
  ])('refuses %s', async (_what, query, reason) => {
    const res = await sql(query, KEYS.acmeRead);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(reason);
  });

  it('refuses FINAL on a table that has no versions, and applies the filter where FINAL is allowed', async () => {
    expect((await sql('SELECT count() AS n FROM agentflow.otel_traces FINAL', KEYS.acmeRead)).statusCode).toBe(400);
    expect(await count('SELECT count() AS n FROM agentflow.agent_sessions_data FINAL', KEYS.acmeRead)).toBe(3);
  });
});

describe('key configuration', () => {
  it('reads hashed keys from a keys file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentflow-keys-'));
    const file = join(dir, 'keys');
    const hash = createHash('sha256').update('file-key-0123456789').digest('hex');
    writeFileSync(file, `# tenant:role:sha256\nacme:read:${hash}\n`);
    const parsed = parseConfig({ AGENTFLOW_KEYS_FILE: file });
    rmSync(dir, { recursive: true });
    expect(parsed.ok && [...parsed.config.keys.values()]).toEqual([{ tenantId: 'acme', role: 'read' }]);
  });

  it('names the broken entry of a bad key setting', () => {
    expect(parseConfig({ AGENTFLOW_API_KEYS: 'acme:writer:0123456789abcdefgh' })).toEqual({
      ok: false, errors: ["AGENTFLOW_API_KEYS entry 1: role 'writer' must be ingest, read or admin"],
    });
  });

  it('refuses to serve open on a non-loopback address unless told to', () => {
    const open = parseConfig({ AGENTFLOW_HOST: '0.0.0.0' });
    expect(open.ok).toBe(false);
    if (!open.ok) expect(open.errors[0]).toMatch(/not a loopback address and no API keys are configured/);
    expect(parseConfig({ AGENTFLOW_HOST: '0.0.0.0', AGENTFLOW_ALLOW_OPEN: 'true' }).ok).toBe(true);
    expect(parseConfig({ AGENTFLOW_HOST: '0.0.0.0', AGENTFLOW_API_KEYS: 'acme:read:0123456789abcdefgh' }).ok).toBe(true);
  });
});

describe('live stream confined to the caller’s tenant', () => {
  it('sends a read key only its own tenant’s events, and refuses an ingest key', async () => {
    const url = await t.listen();
    const refused = await fetch(`${url}/api/v1/live`, { headers: { 'x-api-key': KEYS.acmeIngest } });
    expect(refused.status).toBe(403);
    const controller = new AbortController();
    const res = await fetch(`${url}/api/v1/live`, { headers: { authorization: `Bearer ${KEYS.acmeRead}` }, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done || !value) return;
        text += Buffer.from(value).toString('utf8');
      }
    })();
    const globex = agentRun('globex-live', 1, 0);
    const acme = agentRun('acme-live', 1, 0);
    await ingest(exportOf([globex.agent, ...globex.llmCalls]), { 'x-api-key': KEYS.globexIngest });
    await ingest(exportOf([acme.agent, ...acme.llmCalls]), { 'x-api-key': KEYS.acmeIngest });
    for (let i = 0; i < 100 && !text.includes('acme-live'); i++) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await reading;
    expect(text).toContain('"agent":"acme-live"');
    expect(text).not.toContain('globex');
  });
});
