import Fastify, { type FastifyError } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAuth, loadKeys } from '../auth/index.js';
import { AgentflowError } from '../errors.js';
import type { AlertRule } from '../processing/index.js';
import { alertRoutes, type AlertsPort } from './alerts-route.js';

const KEYS = { admin: 'admin-key-0123456789', read: 'read-key-0123456789', acme: 'acme-admin-key-0123456789' };

function rule(over: Partial<AlertRule>): AlertRule {
  return {
    name: 'r', minSeverity: 'warning', webhook: { url: 'https://hooks.example.com/services/T0/B0/secret', headers: { Authorization: 'Bearer s3cret' } },
    intervalMs: 600_000, retries: 5, backoffInitialMs: 1_000, backoffMaxMs: 300_000, timeoutMs: 10_000, ...over,
  };
}

describe('alertRoutes', () => {
  const tests: string[] = [];
  const alerts: AlertsPort = {
    rules: () => [rule({ name: 'loops', kindPrefix: 'loop' }), rule({ name: 'acme-budgets', tenant: 'acme', kind: 'budget.cost', webhook: { url: 'http://10.0.0.1:8080/', headers: {} } })],
    sendTest: async (name) => {
      tests.push(name);
      return name === 'loops' ? { ok: false, status: 500, error: 'HTTP 500: down' } : { ok: true, status: 204 };
    },
  };
  const app = Fastify();

  beforeAll(async () => {
    const keys = loadKeys(`default:admin:${KEYS.admin},default:read:${KEYS.read},acme:admin:${KEYS.acme}`, undefined);
    if (!keys.ok) throw new Error(keys.errors.join('; '));
    installAuth(app, { keys: keys.keys });
    // As apiRoutes answers errors: { error: { code, message } }.
    app.setErrorHandler((err: FastifyError, _request, reply) => {
      const e = err instanceof AgentflowError ? err : { statusCode: err.statusCode ?? 500, code: 'AF_INTERNAL', message: err.message };
      return reply.code(e.statusCode).send({ error: { code: e.code, message: e.message } });
    });
    await app.register(alertRoutes, { prefix: '/api/v1', alerts });
    await app.ready();
  });
  afterAll(() => app.close());

  const call = (key: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('lists the rules of the caller\'s tenant and of none, without header values or the webhook path', async () => {
    const res = await call(KEYS.read, 'GET', '/alerts/rules');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      rules: [{
        name: 'loops', kind: null, kind_prefix: 'loop', severity: 'warning', agent: null, tenant: null,
        webhook: { url: 'https://hooks.example.com/…', headers: ['Authorization'] },
        interval_ms: 600_000, retries: 5, backoff: { initial_ms: 1_000, max_ms: 300_000 }, timeout_ms: 10_000,
      }],
    });
    expect(res.body).not.toContain('s3cret');
    expect(res.body).not.toContain('secret');
    const acme = await call(KEYS.acme, 'GET', '/alerts/rules');
    expect(acme.json().rules.map((r: { name: string; webhook: { url: string } }) => [r.name, r.webhook.url])).toEqual([['loops', 'https://hooks.example.com/…'], ['acme-budgets', 'http://10.0.0.1:8080']]);
  });

  it('sends a test alert for an admin and answers what the receiver said', async () => {
    const res = await call(KEYS.admin, 'POST', '/alerts/test', { rule: 'loops' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ rule: 'loops', ok: false, status: 500, error: 'HTTP 500: down' });
    const acme = await call(KEYS.acme, 'POST', '/alerts/test', { rule: 'acme-budgets' });
    expect(acme.json()).toEqual({ rule: 'acme-budgets', ok: true, status: 204 });
    expect(tests).toEqual(['loops', 'acme-budgets']);
  });

  it('refuses a key that is not admin', async () => {
    const res = await call(KEYS.read, 'POST', '/alerts/test', { rule: 'loops' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: { code: 'AF_FORBIDDEN', message: "this key has role 'read' and may not send test alerts (admin only)" } });
  });

  it('answers 404 for an unknown rule, and for another tenant\'s', async () => {
    for (const name of ['nope', 'acme-budgets']) {
      const res = await call(KEYS.admin, 'POST', '/alerts/test', { rule: name });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'AF_NOT_FOUND', message: `no alert rule named '${name}' (GET /api/v1/alerts/rules lists them)` } });
    }
  });

  it('answers 400 for a body without a rule', async () => {
    const res = await call(KEYS.admin, 'POST', '/alerts/test', { name: 'loops' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('AF_BAD_REQUEST');
  });
});
