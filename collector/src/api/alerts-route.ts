import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AgentflowError, ERROR_CODES } from '../errors.js';
import type { AlertDispatcher, AlertRule } from '../processing/index.js';

/** What the alert routes use of the dispatcher. */
export type AlertsPort = Pick<AlertDispatcher, 'rules' | 'sendTest'>;

/** Options of {@link alertRoutes}. */
export interface AlertRoutesOptions {
  alerts: AlertsPort;
}

export const ALERT_TEST_BODY = z.object({ rule: z.string().min(1) });

/** A rule as the API shows it: header names without their values, the webhook's origin without its path. */
export interface AlertRuleView {
  name: string;
  kind: string | null;
  kind_prefix: string | null;
  /** The lowest severity matched. */
  severity: string;
  agent: string | null;
  tenant: string | null;
  webhook: { url: string; headers: string[] };
  interval_ms: number;
  retries: number;
  backoff: { initial_ms: number; max_ms: number };
  timeout_ms: number;
}

/** The answer of `POST /alerts/test`: `status` is the receiver's HTTP status, null when it did not answer. */
export interface AlertTestResponse {
  rule: string;
  ok: boolean;
  status: number | null;
  error?: string;
}

/**
 * `GET /api/v1/alerts/rules`: the alert rules the caller's tenant is concerned by (those of no
 * tenant and those of its own), secrets left out. `POST /api/v1/alerts/test` `{ rule }` (admin
 * only): sends the rule's webhook a test alert now and answers what the receiver said; a failed
 * delivery is still a 200 whose `ok` is false.
 */
export async function alertRoutes(app: FastifyInstance, opts: AlertRoutesOptions): Promise<void> {
  const visible = (tenantId: string) => opts.alerts.rules().filter((r) => r.tenant === undefined || r.tenant === tenantId);

  app.get('/alerts/rules', async (request) => ({ rules: visible(request.tenantId).map(toView) }));

  app.post('/alerts/test', async (request): Promise<AlertTestResponse> => {
    // The auth hook requires admin by path only under /admin/; this route sits beside the other alert route.
    if (request.role !== 'admin') throw new AgentflowError(ERROR_CODES.FORBIDDEN, 403, `this key has role '${request.role}' and may not send test alerts (admin only)`);
    const body = ALERT_TEST_BODY.safeParse(request.body);
    if (!body.success) throw new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, 'body must be JSON {"rule": "<rule name>"}');
    const rule = visible(request.tenantId).find((r) => r.name === body.data.rule);
    if (!rule) throw new AgentflowError(ERROR_CODES.NOT_FOUND, 404, `no alert rule named '${body.data.rule}' (GET /api/v1/alerts/rules lists them)`);
    return { rule: rule.name, ...(await opts.alerts.sendTest(rule.name)) };
  });
}

function toView(rule: AlertRule): AlertRuleView {
  return {
    name: rule.name,
    kind: rule.kind ?? null,
    kind_prefix: rule.kindPrefix ?? null,
    severity: rule.minSeverity,
    agent: rule.agent ?? null,
    tenant: rule.tenant ?? null,
    webhook: { url: redactUrl(rule.webhook.url), headers: Object.keys(rule.webhook.headers) },
    interval_ms: rule.intervalMs,
    retries: rule.retries,
    backoff: { initial_ms: rule.backoffInitialMs, max_ms: rule.backoffMaxMs },
    timeout_ms: rule.timeoutMs,
  };
}

/** The URL's origin only: chat webhooks (Slack's, Discord's) carry their secret in the path. */
function redactUrl(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname === '/' && parsed.search === '' ? parsed.origin : `${parsed.origin}/…`;
}
