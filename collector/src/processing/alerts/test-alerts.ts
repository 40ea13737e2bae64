import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnomalyRow } from '@agentflow/schemas';
import type { AlertRule } from './alert-rules.js';
import type { AlertLogger } from './warn-limiter.js';

/** A loop anomaly of session `s1`; override any field. */
export function anomaly(over: Partial<AnomalyRow> = {}): AnomalyRow {
  const t = 1_735_689_600_000_000_000n; // 2025-01-01T00:00:00Z
  return {
    tenantId: 'default', anomalyId: 'an-1', sessionId: 's1', traceId: 'a'.repeat(32), agentName: 'weather-agent',
    kind: 'loop.repeat_call', severity: 'critical', detail: 'get_forecast called 6 times in a row with the same arguments',
    evidence: ['b1', 'b2'], count: 6, detectedAt: t, lastSeenAt: t + 5_000_000_000n, resolvedAt: null, version: 1n, ...over,
  };
}

/** Times of an anomaly seen just now on the real clock (the default ones are in 2025). */
export function seenNow(): Pick<AnomalyRow, 'detectedAt' | 'lastSeenAt'> {
  const ns = BigInt(Date.now()) * 1_000_000n;
  return { detectedAt: ns, lastSeenAt: ns };
}

/** A rule matching everything, posting to `url`, retrying fast. */
export function rule(over: Partial<AlertRule> = {}): AlertRule {
  return {
    name: 'all', minSeverity: 'warning', webhook: { url: 'http://127.0.0.1:9/hook', headers: {} }, intervalMs: 600_000,
    retries: 5, backoffInitialMs: 10, backoffMaxMs: 100, timeoutMs: 2_000, ...over,
  };
}

/** A logger that keeps what it is told. */
export function memoryLog(): AlertLogger & { infos: { obj: object; msg: string }[]; warnings: { obj: object; msg: string }[] } {
  const infos: { obj: object; msg: string }[] = [];
  const warnings: { obj: object; msg: string }[] = [];
  return { infos, warnings, info: (obj, msg) => infos.push({ obj, msg }), warn: (obj, msg) => warnings.push({ obj, msg }) };
}

/**
 * A clock that time travels: a timer set for `ms` fires on the next turn of the event loop and
 * moves the clock to its due time, so retries after a backoff or a Retry-After cost no real time.
 * `delays` records every timer asked for.
 */
export function virtualClock(start = Date.UTC(2025, 0, 1)) {
  let t = start;
  const delays: number[] = [];
  return {
    delays,
    now: () => t,
    advance: (ms: number) => { t += ms; },
    setTimer: (fn: () => void, ms: number) => {
      delays.push(ms);
      const due = t + ms;
      let live = true;
      setImmediate(() => {
        if (!live) return;
        t = Math.max(t, due);
        fn();
      });
      return () => { live = false; };
    },
  };
}

/** One request a {@link receiver} got. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A webhook receiver on a loopback port: answers from `script` in order (then 200), or never when an answer is 'hang'. */
export async function receiver(script: ({ status: number; headers?: Record<string, string> } | 'hang')[] = [], port = 0) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const answer = script.shift() ?? { status: 200 };
      if (answer === 'hang') return;
      res.writeHead(answer.status, answer.headers ?? {}).end(answer.status >= 400 ? 'nope' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    received,
    url: `http://127.0.0.1:${address.port}/hook`,
    port: address.port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Resolves once `condition` holds; fails after `ms`. */
export async function until(condition: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
