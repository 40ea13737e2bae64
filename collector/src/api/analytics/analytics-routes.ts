import type { FastifyInstance } from 'fastify';
import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { AgentflowError, ERROR_CODES } from '../../errors.js';
import { agentFired } from './agent-fired.js';
import { AGENT_FIRED_QUERY, AGENT_PARAMS, ANALYTICS_QUERY, resolveRange } from './params.js';
import { parseInput } from '../query-params.js';
import { loadReport, type AnalyticsReport, type Overview } from './report.js';
import { readRows } from './scope.js';

/** What the analytics routes need. */
export interface AnalyticsRoutesOptions {
  client: ClickHouseClient;
  /** The clock, in ms since the epoch; tests pass a fixed one. Default `Date.now`. */
  now?: () => number;
}

/**
 * The analytics endpoints under the API prefix: `GET /analytics/agents/:agent` (one agent),
 * `GET /analytics/overview` (every agent, with a row each) and `GET /debug/agent-fired` (why an
 * agent did or did not run in a conversation). Every query binds the requesting tenant.
 */
export async function analyticsRoutes(app: FastifyInstance, opts: AnalyticsRoutesOptions): Promise<void> {
  const { client } = opts;
  const now = opts.now ?? Date.now;

  app.get('/analytics/overview', async (request): Promise<Overview> => {
    const nowMs = now();
    const range = resolveRange(parseInput(ANALYTICS_QUERY, request.query, 'query parameter'), nowMs);
    return loadReport(client, { tenant: request.tenantId, range, agent: null, nowMs });
  });

  app.get('/analytics/agents/:agent', async (request): Promise<AnalyticsReport> => {
    const { agent } = parseInput(AGENT_PARAMS, request.params, 'path');
    const nowMs = now();
    const range = resolveRange(parseInput(ANALYTICS_QUERY, request.query, 'query parameter'), nowMs);
    const { agents: _agents, ...report } = await loadReport(client, { tenant: request.tenantId, range, agent, nowMs });
    if (report.summary.executions === 0 && !(await agentExists(client, request.tenantId, agent))) {
      throw new AgentflowError(ERROR_CODES.NOT_FOUND, 404, `no sessions of agent '${agent}' are recorded`);
    }
    return report;
  });

  app.get('/debug/agent-fired', async (request) => {
    const { agent, conversation } = parseInput(AGENT_FIRED_QUERY, request.query, 'query parameter');
    return agentFired(client, request.tenantId, agent, conversation, now());
  });
}

/** Whether the tenant has any session of the agent, at any time (asked only when the range holds none). */
async function agentExists(client: ClickHouseClient, tenant: string, agent: string): Promise<boolean> {
  // Any stored version will do: no FINAL needed to know that a row exists.
  const rows = await readRows(client,
    `SELECT 1 FROM ${DATABASE}.${TABLES.SESSIONS_DATA} WHERE tenant_id = {tenant:String} AND agent_name = {agent:String} LIMIT 1`,
    { tenant, agent });
  return rows.length > 0;
}
