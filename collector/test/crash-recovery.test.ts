import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSpanId, newTraceId, nowNanos, protoTraceRequest, type TestSpan } from './helpers/otlp-payloads.js';

/**
 * "Nothing acknowledged is lost": the built server is killed with SIGKILL right after it
 * acknowledged exports that were still only in its write-ahead log, and a restart on the same
 * data directory stores every acknowledged span exactly once.
 */
const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const EXPORTS = 6;
const SPANS_PER_EXPORT = 25;

let dataDir: string;
let server: ChildProcess | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'agentflow-crash-'));
});
afterAll(() => {
  server?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function startServer(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, AGENTFLOW_DATA_DIR: dataDir, AGENTFLOW_PORT: String(port), AGENTFLOW_LOG_LEVEL: 'warn', ...env },
    stdio: 'ignore',
  });
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become healthy');
}

async function countStored(port: number): Promise<{ rows: number; distinct: number }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: "SELECT count() AS rows, uniqExact(SpanId) AS distinct FROM agentflow.otel_traces WHERE ServiceName = 'crash-test'" }),
  });
  const row = ((await res.json()) as { rows: { rows: string; distinct: string }[] }).rows[0];
  return { rows: Number(row?.rows), distinct: Number(row?.distinct) };
}

function exportBody(): Buffer {
  const traceId = newTraceId();
  const start = nowNanos();
  const spans: TestSpan[] = Array.from({ length: SPANS_PER_EXPORT }, (_, i) => ({
    traceId, spanId: newSpanId(), name: `step ${i}`, kind: 1, start, end: start + 1_000_000n,
  }));
  return protoTraceRequest('crash-test', spans);
}

describe('crash after acknowledgement', () => {
  it('stores every acknowledged span exactly once after a SIGKILL and a restart', async () => {
    const port = await freePort();
    // Batches that never fill and a flush timer that never fires: acknowledged rows are only in the WAL.
    server = await startServer(port, {
      AGENTFLOW_WRITER_FLUSH_MS: '600000', AGENTFLOW_WRITER_MIN_BATCH_ROWS: '1000000', AGENTFLOW_WRITER_BATCH_ROWS: '1000000',
    });
    for (let i = 0; i < EXPORTS; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
        method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: exportBody(),
      });
      expect(res.status).toBe(200);
    }
    expect(await countStored(port)).toEqual({ rows: 0, distinct: 0 });
    server.kill('SIGKILL');
    await new Promise((resolve) => server?.once('exit', resolve));

    server = await startServer(port, {});
    const expected = EXPORTS * SPANS_PER_EXPORT;
    let stored = { rows: 0, distinct: 0 };
    for (let i = 0; i < 100 && stored.rows < expected; i++) {
      await new Promise((r) => setTimeout(r, 100));
      stored = await countStored(port);
    }
    expect(stored).toEqual({ rows: expected, distinct: expected });
    server.kill('SIGTERM');
    await new Promise((resolve) => server?.once('exit', resolve));
    server = undefined;
  });
});
