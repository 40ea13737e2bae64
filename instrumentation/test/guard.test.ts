import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentTracker, GuardStopError } from '../src/index.js';
import { startFakeServer, type FakeServer } from './support/fake-server.js';
import { installTracing } from './support/otel.js';

const STOP = {
  verdict: 'stop',
  reasons: [{ kind: 'loop.repeat_call', severity: 'critical', detail: 'get_forecast called 5 times in a row with the same arguments', anomaly_id: 'a1' }],
  usage: { llm_calls: 0, tool_calls: 5, tokens: 0, cost_usd: 0, duration_ms: 100 },
};

let server: FakeServer;
let verdict: unknown = { ...STOP, verdict: 'allow', reasons: [] };
beforeAll(async () => {
  installTracing();
  server = await startFakeServer(() => ({ json: verdict }));
});
afterAll(async () => server?.close());

describe('session.guard()', () => {
  it("asks agentflow about the session and returns its verdict, with the tracker's headers", async () => {
    verdict = STOP;
    const tracker = createAgentTracker({ guard: { endpoint: server.url, headers: { authorization: 'Bearer ingest-key-123456' } } });
    const { answer, sessionId } = await tracker.runSession({ agentName: 'a' }, async (s) => ({ answer: await s.guard(), sessionId: s.sessionId }));
    expect(answer).toEqual(STOP);
    const request = server.requests.at(-1);
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/guard', body: { session_id: sessionId } });
    expect(request?.headers.authorization).toBe('Bearer ingest-key-123456');
  });

  it('answers allow, marked unreachable, when agentflow does not answer in time or at all, and never throws', async () => {
    const unreachable = createAgentTracker({ guard: { endpoint: 'http://127.0.0.1:9', timeoutMs: 200 } });
    await expect(unreachable.runSession({}, (s) => s.guard())).resolves.toMatchObject({ verdict: 'allow', unreachable: true });
    const silent = await startFakeServer(() => ({ status: 500, json: { error: 'down' } }));
    const failing = createAgentTracker({ guard: { endpoint: silent.url } });
    await expect(failing.runSession({}, (s) => s.guard())).resolves.toMatchObject({ verdict: 'allow', unreachable: true });
    await silent.close();
    await expect(createAgentTracker().runSession({}, (s) => s.guard())).resolves.toMatchObject({ verdict: 'allow', unreachable: true });
  });
});

describe('stopBeforeCalls', () => {
  it('refuses the next tool or LLM call once the guard said stop, without running it', async () => {
    verdict = STOP;
    const tracker = createAgentTracker({ guard: { endpoint: server.url, stopBeforeCalls: true } });
    let ran = 0;
    const asked = server.requests.length;
    const outcome = await tracker.runSession({ agentName: 'looper' }, async (s) => {
      await s.tool({ name: 'get_forecast' }, async () => ran++);
      // The verdict is asked for in the background after each call: wait for it to come back.
      for (let i = 0; i < 100 && server.requests.length === asked; i++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 20));
      const error = await Promise.resolve().then(() => s.tool({ name: 'get_forecast' }, async () => ran++)).catch((e: unknown) => e);
      const llmError = (() => {
        try {
          s.llm({ model: 'm' }, () => ran++);
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      return { error, llmError };
    });
    expect(ran).toBe(1);
    expect(outcome.error).toBeInstanceOf(GuardStopError);
    expect((outcome.error as GuardStopError).answer.reasons[0]?.kind).toBe('loop.repeat_call');
    expect(outcome.llmError).toBeInstanceOf(GuardStopError);
  });

  it('lets calls through while the verdict is allow or warn', async () => {
    verdict = { ...STOP, verdict: 'warn' };
    const tracker = createAgentTracker({ guard: { endpoint: server.url, stopBeforeCalls: true } });
    const results = await tracker.runSession({}, async (s) => {
      const out: number[] = [];
      for (let i = 0; i < 3; i++) {
        out.push(await s.tool({ name: 't' }, async () => i));
        await new Promise((r) => setTimeout(r, 30));
      }
      return out;
    });
    expect(results).toEqual([0, 1, 2]);
  });
});
