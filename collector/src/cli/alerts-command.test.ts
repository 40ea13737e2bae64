import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRoutes } from '../api/alerts-route.js';
import type { AlertRule } from '../processing/index.js';
import { alertsCommand } from './alerts-command.js';
import { CliError, EXIT, type ServerTarget } from './http.js';

const RULE: AlertRule = {
  name: 'loops', kindPrefix: 'loop', minSeverity: 'critical', webhook: { url: 'https://hooks.example.com/secret', headers: {} },
  intervalMs: 900_000, retries: 5, backoffInitialMs: 1_000, backoffMaxMs: 300_000, timeoutMs: 10_000,
};

describe('alertsCommand', () => {
  // The route with no auth installed: every request is the default tenant's admin, as on an open server.
  const app = Fastify();
  let target: ServerTarget;
  let answer = { ok: true, status: 200 as number | null, error: undefined as string | undefined };

  beforeAll(async () => {
    app.decorateRequest('tenantId', 'default');
    app.decorateRequest('role', 'admin');
    await app.register(alertRoutes, { prefix: '/api/v1', alerts: { rules: () => [RULE], sendTest: async () => answer } });
    target = { baseUrl: await app.listen({ host: '127.0.0.1', port: 0 }) };
  });
  afterAll(() => app.close());

  const run = async (args: string[], json = false) => {
    const lines: string[] = [];
    await alertsCommand(target, args, json, (t) => lines.push(t));
    return lines;
  };
  const failure = (args: string[]) => run(args).then(() => undefined, (err: unknown) => err as CliError);

  it('reports a delivered test alert', async () => {
    answer = { ok: true, status: 200, error: undefined };
    expect(await run(['test', 'loops'])).toEqual(["test alert for rule 'loops' delivered (HTTP 200)"]);
  });

  it('fails with exit code 1 when the receiver did not take it', async () => {
    answer = { ok: false, status: null, error: 'ECONNREFUSED' };
    const err = await failure(['test', 'loops']);
    expect(err).toBeInstanceOf(CliError);
    expect([err?.exitCode, err?.message]).toEqual([EXIT.QUERY_FAILED, "test alert for rule 'loops' failed (no answer): ECONNREFUSED"]);
  });

  it('prints the rules as a table', async () => {
    const lines = (await run(['rules'])).join('\n').split('\n');
    expect(lines[0]).toMatch(/^rule\s+kind\s+severity\s+agent\s+tenant\s+webhook\s+interval$/);
    expect(lines[2]).toMatch(/^loops\s+loop\*\s+critical\+\s+any\s+any\s+https:\/\/hooks\.example\.com\/…\s+15m$/);
    expect(lines[3]).toBe('1 rule');
  });

  it('refuses a missing or unknown subcommand with the usage exit code', async () => {
    for (const args of [[], ['test'], ['list']]) expect((await failure(args))?.exitCode).toBe(EXIT.USAGE);
  });
});
