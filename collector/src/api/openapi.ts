import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PURGE_BODY } from './purge-route.js';
import { REBUILD_BODY } from './rebuild-route.js';
import { SQL_BODY } from './sql-route.js';
import { DIAGRAM_QUERY, SESSION_PARAMS, TRACE_PARAMS } from './sessions/session-routes.js';
import { LIST_SESSIONS_QUERY } from './sessions/list-sessions.js';
import { AGENT_FIRED_QUERY, AGENT_PARAMS, ANALYTICS_QUERY } from './analytics/params.js';
import { LIVE_QUERY } from '../live/index.js';
import { LIST_ANOMALIES_QUERY } from './anomalies/list-anomalies.js';
import { POOR_RESPONSES_QUERY } from './quality/poor-responses.js';
import { GUARD_BODY } from './guard-route.js';
import { ALERT_TEST_BODY } from './alerts-route.js';

/** One documented route: the same zod schemas the route validates with. */
interface RouteDoc {
  method: 'get' | 'post';
  path: string;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** What a 200 carries, in words (responses are built, not validated). */
  returns: string;
  contentType?: string;
}

const ROUTES: readonly RouteDoc[] = [
  { method: 'get', path: '/sessions', summary: 'Session history, newest first, with filters and cursor pagination, each with its open and total anomaly counts; status=running lists sessions that started and have not ended, from their start records, with their process status (running, or orphaned when its process is offline) and current activity', query: LIST_SESSIONS_QUERY, returns: '{ sessions: (Session & { open_anomalies, anomalies })[], next_cursor: string | null }; with status=running, sessions: { session_id, trace_id, agent_name, agent_type, goal, status, process_status, instance_status, current_activity, started_at, last_activity_at, idle_ms, open_anomalies, anomalies, … }[]' },
  { method: 'get', path: '/sessions/{id}', summary: 'One session with its timeline, actions, transitions, decisions, communications, child sessions and anomalies; for a session still running, what its start record says, the spans that ended under it and its anomalies', params: SESSION_PARAMS, returns: '{ session, timeline, actions, transitions, decisions, communications, children, totals, anomalies: Anomaly[] (open first) }, or for a running session { running: true, session: RunningSession, spans: EndedSpan[], anomalies }' },
  { method: 'get', path: '/sessions/{id}/tree', summary: 'The multi-agent tree of the session’s root', params: SESSION_PARAMS, returns: '{ session, totals, children: Tree[] }' },
  { method: 'get', path: '/sessions/{id}/diagram', summary: 'Mermaid text: agent sequence, state machine walked, or action flow', params: SESSION_PARAMS, query: DIAGRAM_QUERY, returns: 'Mermaid text, or { type, mermaid } with format=json', contentType: 'text/plain' },
  { method: 'get', path: '/traces/{traceId}', summary: 'The raw spans of a trace', params: TRACE_PARAMS, returns: '{ trace_id, spans: Span[] }' },
  { method: 'get', path: '/live', summary: 'Server-sent events of session starts, state changes, actions, session ends and anomalies as they are ingested or detected', query: LIVE_QUERY, returns: 'text/event-stream; events session.start, state, action, session.end, anomaly (data: the event as JSON), dropped', contentType: 'text/event-stream' },
  { method: 'get', path: '/anomalies', summary: 'Detected problems (loops, stuck sessions, broken budgets, …), newest detected first, with filters and cursor pagination; kind takes a kind (loop.repeat_call) or a family (loop, loop.)', query: LIST_ANOMALIES_QUERY, returns: '{ anomalies: { anomaly_id, session_id, trace_id, agent_name, kind, severity, detail, evidence, count, detected_at, last_seen_at, resolved_at }[], next_cursor: string | null }' },
  { method: 'get', path: '/quality/poor-responses', summary: 'Model calls whose captured answer scored under a threshold (default 0.7) since a look back (default 24h), newest first, with the checks they failed; the answer text is not stored outside the raw spans', query: POOR_RESPONSES_QUERY, returns: '{ threshold, from, responses: { started_at, agent_name, model, quality_score, quality_issues, session_id, trace_id, action_id }[], more }' },
  { method: 'post', path: '/guard', summary: 'May this session take its next step? allow, warn or stop, from its open anomalies and budgets; any key of the session’s tenant may ask', body: GUARD_BODY, returns: '{ verdict: allow | warn | stop, reasons, usage }' },
  { method: 'get', path: '/alerts/rules', summary: 'The alert rules of AGENTFLOW_ALERTS_FILE visible to the caller’s tenant, with the webhook’s origin and header names only', returns: '{ rules: { name, kind, kind_prefix, severity, agent, tenant, webhook: { url (origin only), headers: string[] }, interval_ms, retries, backoff, timeout_ms }[] }' },
  { method: 'post', path: '/alerts/test', summary: 'Sends a rule’s webhook a test alert now (admin)', body: ALERT_TEST_BODY, returns: '{ rule, ok, status, error? }' },
  { method: 'get', path: '/analytics/overview', summary: 'Every agent over a time range (default the last 7 days): executions, success rate, duration quantiles, hourly pattern, failures by error type, bottleneck steps, tools, tokens and cost by agent, model and task, anomalies by kind and agent, suggestions; plus one row per agent', query: ANALYTICS_QUERY, returns: '{ range, agent: null, summary, hourly, failures, bottlenecks, tools, cost, repeated_tool_calls, anomalies: { anomalies, open, critical, by_kind, by_agent }, quality: { poor_threshold, by_agent_model: { agent, model, scored_calls, mean_score, poor_calls }[] }, suggestions, agents }' },
  { method: 'get', path: '/analytics/agents/{agent}', summary: 'One agent over a time range (default the last 7 days), with the same figures as the overview', params: AGENT_PARAMS, query: ANALYTICS_QUERY, returns: '{ range, agent, summary, hourly, failures, bottlenecks, tools, cost, repeated_tool_calls, anomalies, quality, suggestions }' },
  { method: 'get', path: '/debug/agent-fired', summary: 'Why an agent did or did not run in a conversation: never_invoked, skipped, failed or fired, with the evidence', query: AGENT_FIRED_QUERY, returns: '{ agent, conversation, verdict, explanation, evidence: { sessions, failed_actions, decisions, handovers, conversation_agents, elsewhere } }' },
  { method: 'post', path: '/sql', summary: 'One read-only SQL statement over the caller’s tenant’s rows', body: SQL_BODY, returns: '{ columns, rows, rowCount, truncated, elapsedMs }' },
  { method: 'post', path: '/admin/rebuild', summary: 'Re-derive agent records from raw spans (admin)', body: REBUILD_BODY, returns: 'newline-delimited JSON progress, then { done: true, tenants }', contentType: 'application/x-ndjson' },
  { method: 'post', path: '/admin/purge', summary: 'Delete the caller’s tenant’s rows older than a time (admin)', body: PURGE_BODY, returns: 'newline-delimited JSON per table, then { done: true }', contentType: 'application/x-ndjson' },
];

function parameters(where: 'path' | 'query', schema: z.ZodObject | undefined): object[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s,
  }));
}

/** The OpenAPI 3.1 document of the REST API, built from the routes' own zod schemas. */
export function openApiDocument(): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const r of ROUTES) {
    paths[r.path] ??= {};
    (paths[r.path] as Record<string, object>)[r.method] = {
      summary: r.summary,
      parameters: [...parameters('path', r.params), ...parameters('query', r.query)],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(r.body, { io: 'input', unrepresentable: 'any' }) } } } } : {}),
      responses: {
        200: { description: r.returns, content: { [r.contentType ?? 'application/json']: {} } },
        400: { description: 'invalid parameters or query; { error: { code, message } }' },
        401: { description: 'missing or unknown API key' },
        403: { description: 'the key’s role does not allow this' },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'agentflow', version: '0.1.0', description: 'Agent sessions, actions and analysis derived from OpenTelemetry spans.' },
    servers: [{ url: '/api/v1' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
    },
    paths,
  };
}

/** `GET /api/v1/openapi.json`. */
export async function openApiRoute(app: FastifyInstance): Promise<void> {
  const document = openApiDocument();
  app.get('/openapi.json', async () => document);
}
