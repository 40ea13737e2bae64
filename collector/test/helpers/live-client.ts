import { expect } from 'vitest';

/** One server-sent event as a test sees it, with the time it arrived. */
export interface Received { type: string; data: { agent: string; sessionId: string; data: Record<string, unknown> }; atMs: number }

/** Connects to `GET /api/v1/live` at `baseUrl` and gathers events until closed. */
export async function connectLive(baseUrl: string, query = '') {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/live${query}`, { signal: controller.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const received: Received[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let buffer = '';
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done || !value) return;
      buffer += Buffer.from(value).toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) received.push({ type, data: JSON.parse(data), atMs: Date.now() });
      }
    }
  })();
  return {
    received,
    /** Waits until `count` events arrived (or the deadline); returns all so far. */
    async waitFor(count: number, ms = 3000) {
      const deadline = Date.now() + ms;
      while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return received;
    },
    /** Waits until an event matches `match` (or the deadline); returns it. */
    async waitUntil(match: (e: Received) => boolean, ms = 5000) {
      const deadline = Date.now() + ms;
      while (!received.some(match) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return received.find(match);
    },
    close() {
      controller.abort();
      return pump;
    },
  };
}
