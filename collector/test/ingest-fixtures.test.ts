/**
 * Every captured OTLP payload under test/fixtures/, as the framework's exporter sent it, is
 * accepted whole: 200 without partial success, and exactly as many rows stored as the payload
 * holds spans or log records (counted here from the payload itself, not by the collector's code).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';
import { countProtoLogRecords, countProtoSpans } from './helpers/protobuf-wire.js';
import { countJsonLogRecords, countJsonSpans } from './helpers/otlp-payloads.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

interface Fixture {
  /** Path under fixtures/, for test names. */
  name: string;
  url: '/v1/traces' | '/v1/logs';
  contentType: 'application/x-protobuf' | 'application/json';
  gzip: boolean;
  /** The body as sent. */
  body: Buffer;
  /** Spans or log records in the body. */
  items: number;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Classifies a fixture file by the naming rules of fixtures/README.md; undefined for non-payloads. */
function toFixture(path: string): Fixture | undefined {
  const file = basename(path);
  if (file === 'manifest.json' || file === 'README.md' || file.endsWith('.expect.json') || file.endsWith('.openai-traces.json')) return undefined;
  const gzip = file.endsWith('.gz');
  const inner = gzip ? file.slice(0, -'.gz'.length) : file;
  const contentType = inner.endsWith('.pb') ? 'application/x-protobuf' : inner.endsWith('.json') ? 'application/json' : undefined;
  if (contentType === undefined) throw new Error(`fixture ${path} has no known payload extension`);
  const logs = inner.includes('.logs.');
  const body = readFileSync(path);
  const plain = gzip ? gunzipSync(body) : body;
  const items = contentType === 'application/json'
    ? (logs ? countJsonLogRecords : countJsonSpans)(JSON.parse(plain.toString('utf8')))
    : (logs ? countProtoLogRecords : countProtoSpans)(plain);
  return { name: relative(FIXTURES, path), url: logs ? '/v1/logs' : '/v1/traces', contentType, gzip, body, items };
}

const fixtures = listFiles(FIXTURES).sort().map(toFixture).filter((f): f is Fixture => f !== undefined);

let t: TestCollector;

beforeAll(async () => {
  // A short flush interval: each export here is acknowledged alone, so waiting for a fuller batch only adds time.
  t = await startTestCollector({ AGENTFLOW_WRITER_FLUSH_MS: '5' });
});

afterAll(async () => {
  await t?.stop();
});

async function storedRows(table: string): Promise<number> {
  const [row] = await t.query<{ n: string }>(`SELECT count() AS n FROM ${DATABASE}.${table}`);
  return Number(row?.n);
}

describe('captured framework payloads', () => {
  it('are all found: protobuf, JSON, gzip and logs', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(70);
    expect(fixtures.some((f) => f.gzip && f.contentType === 'application/x-protobuf')).toBe(true);
    expect(fixtures.some((f) => f.gzip && f.contentType === 'application/json')).toBe(true);
    expect(fixtures.filter((f) => f.url === '/v1/logs').length).toBeGreaterThanOrEqual(4);
    // Every payload holds something: a zero count would make its row check vacuous.
    expect(fixtures.filter((f) => f.items === 0).map((f) => f.name)).toEqual([]);
  });

  // Sequential on purpose: each test counts the rows its own export added.
  it.each(fixtures.map((f) => [f.name, f] as const))('%s is stored whole', async (_name, fixture) => {
    const table = fixture.url === '/v1/logs' ? TABLES.LOGS : TABLES.TRACES;
    const before = await storedRows(table);
    const res = await t.collector.app.inject({
      method: 'POST',
      url: fixture.url,
      headers: { 'content-type': fixture.contentType, ...(fixture.gzip ? { 'content-encoding': 'gzip' } : {}) },
      payload: fixture.body,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(new RegExp(`^${fixture.contentType}`));
    if (fixture.contentType === 'application/json') {
      // No partialSuccess: the response is an empty ExportServiceResponse.
      expect(res.json()).toEqual({});
    } else {
      expect(res.rawPayload.length).toBe(0);
    }
    expect(await storedRows(table)).toBe(before + fixture.items);
  });
});
