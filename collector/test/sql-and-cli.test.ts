/**
 * The read-only SQL endpoint on the real embedded engine, and the built `agentflow` CLI binary
 * talking to it over a real socket.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';
import { jsonSpan, jsonTraceRequest, newSpanId, newTraceId, nowNanos, type TestSpan } from './helpers/otlp-payloads.js';

const TRACES = `${DATABASE}.${TABLES.TRACES}`;
const SQL_MAX_ROWS = 5;
const SERVICE = 'sql-test';
/** Built by `npm test` (and `npx tsc -b`) before vitest runs. */
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');

let t: TestCollector;
let scratch: string;

beforeAll(async () => {
  t = await startTestCollector({ AGENTFLOW_SQL_MAX_ROWS: String(SQL_MAX_ROWS) });
  await t.listen();
  scratch = mkdtempSync(join(tmpdir(), 'agentflow-sql-test-'));
  const traceId = newTraceId();
  const start = nowNanos(-1000);
  const span = (name: string): TestSpan => ({ traceId, spanId: newSpanId(), name, kind: 1, start, end: start + 1000n });
  const res = await exportSpans([span('alpha'), span('beta'), span('beta')]);
  if (res.statusCode !== 200) throw new Error(`seeding spans failed: ${res.statusCode} ${res.body}`);
});

afterAll(async () => {
  await t?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Exports spans and waits until they are inserted (an acknowledgement means "in the write-ahead log"). */
async function exportSpans(spans: TestSpan[], service = SERVICE) {
  const res = await t.collector.app.inject({
    method: 'POST',
    url: '/v1/traces',
    headers: { 'content-type': 'application/json' },
    payload: jsonTraceRequest(service, spans.map(jsonSpan)),
  });
  await t.collector.writer.flush();
  return res;
}

function sql(query: string) {
  return t.collector.app.inject({ method: 'POST', url: '/api/v1/sql', payload: { query } });
}

/** Counts as strings in SQL, so these checks do not depend on how the endpoint spells 64-bit integers. */
const GROUPED = `SELECT SpanName, toString(count()) AS n FROM ${TRACES} WHERE ServiceName = '${SERVICE}' GROUP BY SpanName ORDER BY SpanName`;

describe('POST /api/v1/sql', () => {
  it('answers a SELECT with its columns and rows', async () => {
    const res = await sql(GROUPED);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      columns: [{ name: 'SpanName', type: 'LowCardinality(String)' }, { name: 'n', type: 'String' }],
      rows: [{ SpanName: 'alpha', n: '1' }, { SpanName: 'beta', n: '2' }],
      rowCount: 2,
      truncated: false,
      elapsedMs: expect.any(Number),
    });
  });

  it('returns 64-bit integers as strings, exactly (README: "64-bit integers arrive as strings")', async () => {
    const res = await sql("SELECT toUInt64('18446744073709551615') AS u, toInt64('-9223372036854775807') AS i, count() AS n FROM numbers(3)");
    expect(res.statusCode).toBe(200);
    expect(res.json().rows).toEqual([{ u: '18446744073709551615', i: '-9223372036854775807', n: '3' }]);
  });

  it('answers SHOW, DESCRIBE and EXISTS', async () => {
    expect((await sql(`SHOW TABLES FROM ${DATABASE} LIKE 'otel%'`)).json().rows).toContainEqual({ name: TABLES.TRACES });
    expect((await sql(`DESCRIBE TABLE ${TRACES}`)).json().rows).toContainEqual(expect.objectContaining({ name: 'TraceId', type: 'String' }));
    expect((await sql(`EXISTS TABLE ${TRACES}`)).json().rows).toEqual([{ result: 1 }]);
  });

  it.each([
    ['INSERT', `INSERT INTO ${TRACES} (SpanName) VALUES ('x')`, /read-only statements.*got INSERT/],
    ['DROP', `DROP TABLE ${TRACES}`, /read-only statements.*got DROP/],
    ['ALTER', `ALTER TABLE ${TRACES} DELETE WHERE 1`, /got ALTER/],
    ['SET', 'SET readonly = 0', /got SET/],
    ['two statements', `SELECT 1; DROP TABLE ${TRACES}`, /one statement/],
    ['a SETTINGS clause', 'SELECT 1 SETTINGS readonly = 0', /SETTINGS clause is not allowed/],
    ['a SETTINGS clause in a subquery', 'SELECT * FROM (SELECT 1 SETTINGS readonly = 0)', /SETTINGS clause is not allowed/],
  ])('refuses %s with 400 and says why', async (_what, query, reason) => {
    const res = await sql(query);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'AF_QUERY_REFUSED', message: expect.stringMatching(reason) } });
  });

  it('leaves the data alone after refused writes', async () => {
    const [row] = await t.query<{ n: string }>(`SELECT count() AS n FROM ${TRACES} WHERE ServiceName = {s:String}`, { s: SERVICE });
    expect(Number(row?.n)).toBe(3);
  });

  it('answers a syntax error with 400 and the engine message', async () => {
    const res = await sql('SELECT FROM WHERE');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'AF_QUERY_FAILED', message: expect.stringMatching(/Syntax error/) } });
  });

  it('answers an unknown table with 400', async () => {
    const res = await sql(`SELECT * FROM ${DATABASE}.no_such_table`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/no_such_table/);
  });

  it('answers 400 to a body without a query', async () => {
    const res = await t.collector.app.inject({ method: 'POST', url: '/api/v1/sql', payload: { sql: 'SELECT 1' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('AF_BAD_REQUEST');
  });

  it("does not let file('/etc/hostname') read the disk", async () => {
    const res = await sql("SELECT * FROM file('/etc/hostname', 'LineAsString')");
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'AF_QUERY_REFUSED', message: expect.stringMatching(/table functions are not allowed: file/) });
  });

  it('does not let url() or executable() reach out', async () => {
    for (const query of ["SELECT * FROM url('http://127.0.0.1:1/x', 'LineAsString')", "SELECT * FROM executable('id', 'LineAsString', 'x String')"]) {
      expect((await sql(query)).statusCode).toBe(400);
    }
  });

  // Regression: DESCRIBE is not wrapped in a SELECT, and readonly=1 does not stop the schema
  // inference DESCRIBE runs on a table function, so the file's first line came back as a column name.
  it('does not let DESCRIBE file(...) read the disk', async () => {
    const secret = join(scratch, 'secret.txt');
    writeFileSync(secret, 'TOP-SECRET-LINE\nsecond line\n');
    for (const format of ['TSVWithNames', 'JSONEachRow']) {
      const res = await sql(`DESCRIBE file('${secret}', '${format}')`);
      expect({ format, leaked: res.body.includes('TOP-SECRET-LINE') }).toEqual({ format, leaked: false });
      expect(res.statusCode).toBe(400);
    }
  });

  // Regression: SHOW/DESCRIBE/EXPLAIN are not wrapped in a SELECT, and the embedded engine writes
  // INTO OUTFILE itself, readonly or not.
  it('does not let INTO OUTFILE write to the disk', async () => {
    const target = join(scratch, 'written-by-sql.txt');
    const res = await sql(`EXPLAIN SYNTAX SELECT 'attacker text' INTO OUTFILE '${target}'`);
    expect(existsSync(target)).toBe(false);
    expect(res.statusCode).toBe(400);
  });

  it(`cuts the result at AGENTFLOW_SQL_MAX_ROWS (${SQL_MAX_ROWS}) and says so`, async () => {
    const res = await sql('SELECT toString(number) AS s FROM numbers(100)');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ rows: ['0', '1', '2', '3', '4'].map((s) => ({ s })), rowCount: 5, truncated: true });
  });

  it('does not report truncation for a result of exactly the limit', async () => {
    expect((await sql(`SELECT number FROM numbers(${SQL_MAX_ROWS})`)).json()).toMatchObject({ rowCount: SQL_MAX_ROWS, truncated: false });
  });

  it('ends an unbounded query at the limit instead of running forever', async () => {
    const res = await sql('SELECT number FROM numbers(1000000000000)');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ rowCount: SQL_MAX_ROWS, truncated: true });
  });

  it('does not leak read-only mode or limits into the shared engine session: OTLP inserts still work', async () => {
    // Queries that succeed, fail in the engine and are refused, all before the insert.
    await sql(GROUPED);
    await sql('SELECT FROM WHERE');
    await sql('SELECT number FROM numbers(1000000000000)');
    const [settings] = await t.query<{ readonly: unknown; maxResultRows: unknown }>(
      "SELECT getSetting('readonly') AS readonly, getSetting('max_result_rows') AS maxResultRows",
    );
    expect([Number(settings?.readonly), Number(settings?.maxResultRows)]).toEqual([0, 0]);

    const start = nowNanos();
    const span: TestSpan = { traceId: newTraceId(), spanId: newSpanId(), name: 'after sql', kind: 1, start, end: start + 1n };
    const res = await exportSpans([span], 'sql-test-after');
    expect(res.statusCode, res.body).toBe(200);
    const rows = await sql(`SELECT SpanName FROM ${TRACES} WHERE SpanId = '${span.spanId.toString('hex')}'`);
    expect(rows.json().rows).toEqual([{ SpanName: 'after sql' }]);
  });
});

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    // AGENTFLOW_URL is cleared so only --url decides where the CLI goes.
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, AGENTFLOW_URL: '' }, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('agentflow sql (the built CLI)', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build, or npx tsc -b)`);
  });

  it('prints a table with the column header, the rows and a row count line', async () => {
    const run = await runCli(['sql', GROUPED, '--url', t.url]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual(['SpanName  n', '--------  -', 'alpha     1', 'beta      2']);
    expect(lines[4]).toMatch(/^2 rows in \d+ ms$/);
    expect(lines).toHaveLength(5);
  });

  it('says when the table was cut at the row limit', async () => {
    const run = await runCli(['sql', 'SELECT number FROM numbers(100)', '--url', t.url]);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^5 rows in \d+ ms \(truncated at the row limit\)$/);
  });

  it('--json prints the rows as parseable JSON', async () => {
    const run = await runCli(['sql', GROUPED, '--json', '--url', t.url]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ SpanName: 'alpha', n: '1' }, { SpanName: 'beta', n: '2' }]);
  });

  it('exits 1 with the server message on stderr when the query is refused', async () => {
    const run = await runCli(['sql', `DROP TABLE ${TRACES}`, '--url', t.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/read-only statements.*got DROP/);
    expect(run.stdout).toBe('');
  });

  it('exits 1 with the engine message on stderr for a syntax error', async () => {
    const run = await runCli(['sql', 'SELECT FROM WHERE', '--url', t.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Syntax error/);
  });

  it('exits 3 when the server is unreachable', async () => {
    const run = await runCli(['sql', 'SELECT 1', '--url', `http://127.0.0.1:${await closedPort()}`]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/cannot reach agentflow/);
  });

  it('exits 2 with the usage text when given no arguments', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toMatch(/usage: agentflow/);
  });

  it('exits 2 when sql is given no query', async () => {
    const run = await runCli(['sql', '--url', t.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/exactly one argument/);
  });
});
