import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentTracker, startAgentTelemetry } from '@agentflow/instrumentation';
import type { PoorResponsesPage } from '../src/api/quality/index.js';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';

/**
 * End to end, as an operator meets a refusal: an agent instrumented with the real OTel SDK and
 * agentflow's instrumentation, content capture on, asks a model twice; the first answer refuses.
 * The refusal must be stored with a score under 0.7 and `refusal` among its issues, raise one
 * `quality.poor_response`, and be listed by the endpoint and the built CLI; the good answer not.
 * The analytics overview reports both calls' mean score and the one poor call for agent and model.
 */
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');
const REFUSAL = "I'm sorry, but I can't help with that request.";
const ANSWER = 'Lisbon will be sunny tomorrow with a high of 24 degrees and a light breeze.';

let t: TestCollector;
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build, or npx tsc -b)`);
  t = await startTestCollector();
  await t.listen();
});
afterAll(async () => t?.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until `done` holds of its answer (derivation waits for the trace to settle). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 200 && !done(value); i++) {
    await sleep(100);
    value = await read();
  }
  return value;
}

function runCli(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args, '--url', t.url], { env: { ...process.env, AGENTFLOW_URL: '', AGENTFLOW_API_KEY: '' }, timeout: 20_000 }, (err, stdout) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout });
    });
  });
}

describe('a refused answer, captured by the instrumentation package', () => {
  it('is scored poor, raises quality.poor_response and is listed by the endpoint and the CLI', { timeout: 60_000 }, async () => {
    const telemetry = startAgentTelemetry({ serviceName: 'concierge', endpoint: t.url, exportIntervalMs: 100 });
    const tracker = createAgentTracker({ captureContent: true });
    const ask = (session: Parameters<Parameters<typeof tracker.runSession>[1]>[0], text: string) => session.llm(
      { model: 'gpt-4o-mini', provider: 'openai', inputMessages: [{ role: 'user', parts: [{ type: 'text', content: 'Weather in Lisbon?' }] }] },
      async (call) => call.report({
        responseModel: 'gpt-4o-mini', inputTokens: 12, outputTokens: 10, finishReasons: ['stop'],
        outputMessages: [{ role: 'assistant', parts: [{ type: 'text', content: text }], finish_reason: 'stop' }],
      }),
    );
    const sessionId = await tracker.runSession({ agentName: 'concierge-agent', goal: 'weather for Lisbon' }, async (session) => {
      await ask(session, REFUSAL);
      await ask(session, ANSWER);
      return session.sessionId;
    });
    await telemetry.shutdown();

    const actions = await until(
      () => t.query<{ score: number | null; issues: string[] }>(
        `SELECT quality_score AS score, quality_issues AS issues FROM agentflow.agent_actions WHERE session_id = {s:String} AND action_type = 'llm_call' ORDER BY sequence`,
        { s: sessionId }),
      (rows) => rows.length === 2,
    );
    expect(actions).toHaveLength(2);
    expect(actions[0]?.score).toBeLessThan(0.7);
    expect(actions[0]?.issues).toEqual(['refusal']);
    expect(actions[1]).toEqual({ score: 1, issues: [] });

    const anomalies = await until(
      () => t.query<{ kind: string; severity: string; detail: string; evidence: string[] }>(
        `SELECT kind, severity, detail, evidence FROM agentflow.anomalies WHERE session_id = {s:String}`, { s: sessionId }),
      (rows) => rows.length > 0,
    );
    expect(anomalies).toEqual([{
      kind: 'quality.poor_response', severity: 'warning', evidence: [expect.stringMatching(/^[0-9a-f]{16}$/)],
      detail: 'gpt-4o-mini answer refused: "I can\'t help with that request" (score 0.42)',
    }]);

    const res = await fetch(`${t.url}/api/v1/quality/poor-responses?since=1h&agent=concierge-agent`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as PoorResponsesPage;
    expect(page.responses).toEqual([expect.objectContaining({
      agent_name: 'concierge-agent', model: 'gpt-4o-mini', quality_score: expect.closeTo(5 / 12, 5), quality_issues: ['refusal'],
      session_id: sessionId, action_id: anomalies[0]?.evidence[0],
    })]);
    expect((await fetch(`${t.url}/api/v1/quality/poor-responses?since=1h&agent=someone-else`).then((r) => r.json()) as PoorResponsesPage).responses).toEqual([]);
    expect((await fetch(`${t.url}/api/v1/quality/poor-responses?since=forever`)).status).toBe(400);
    expect((await fetch(`${t.url}/api/v1/quality/poor-responses?threshold=2`)).status).toBe(400);

    // The session detail carries each action's issues.
    const detail = (await fetch(`${t.url}/api/v1/sessions/${sessionId}`).then((r) => r.json())) as { actions: { action_type: string; quality_issues: string[] }[] };
    expect(detail.actions.filter((a) => a.action_type === 'llm_call').map((a) => a.quality_issues)).toEqual([['refusal'], []]);

    // Analytics: mean score and poor calls per agent and model over the scored calls.
    const overview = (await fetch(`${t.url}/api/v1/analytics/overview`).then((r) => r.json())) as { quality: { poor_threshold: number; by_agent_model: unknown[] } };
    expect(overview.quality).toEqual({
      poor_threshold: 0.7,
      by_agent_model: [{ agent: 'concierge-agent', model: 'gpt-4o-mini', scored_calls: 2, mean_score: 0.7083, poor_calls: 1 }],
    });

    const run = await runCli(['poor-responses', '--since', '1h', '--agent', 'concierge-agent']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]?.split(/\s{2,}/)).toEqual(['time', 'agent', 'model', 'score', 'issues', 'session']);
    expect(lines[2]?.split(/\s{2,}/).slice(1)).toEqual(['concierge-agent', 'gpt-4o-mini', '0.42', 'refusal', sessionId]);
    expect(lines.at(-1)).toMatch(/^1 poor response under 0.7 since /);
    expect((await runCli(['poor-responses', '--threshold', 'high'])).code).toBe(2);
  });
});
