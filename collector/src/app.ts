import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { LogRow, SpanRow } from '@agentflow/schemas';
import type { Config } from './config.js';
import { otlpRoutes, storedHook } from './receiver/index.js';
import { apiRoutes } from './api/index.js';
import { LOG_SINK, SPAN_SINK, type BatchWriter, type Storage } from './storage/index.js';
import type { Assembler, AssemblyThread } from './assembly/index.js';
import { AgentflowError, ERROR_CODES } from './errors.js';
import { toCanonicalSpan, type CanonicalSpan } from './mapping/index.js';
import { installAuth } from './auth/index.js';
import { agentStarts, eventsFromLogs, eventsFromSpans, type AgentIndex, type LiveHub } from './live/index.js';
import type { AlertDispatcher, AnomalyHub, StuckJob } from './processing/index.js';
import { AGENT_INSTANCE_STATUS, AGENTFLOW } from '@agentflow/schemas';

/** What the HTTP app is built from: started components, passed in (the app owns none of them). */
export interface AppDeps {
  config: Config;
  storage: Storage;
  writer: BatchWriter;
  /** Trace assembly, on its own thread: gets each stored export. */
  assembly: Pick<AssemblyThread, 'add' | 'isBehind' | 'stats' | 'starts'>;
  /** Derives rebuilt traces on this thread (a rebuild reads its spans here). */
  rebuilder: Pick<Assembler, 'deriveAndWrite'>;
  live: LiveHub;
  /** Which agent each recent span belongs to (from start records and spans), to name agents at ingest time. */
  agents: AgentIndex;
  anomalies: AnomalyHub;
  /** Told when a process reports going offline, so its open sessions are reported orphaned without waiting a whole interval. */
  stuck: Pick<StuckJob, 'soon'>;
  alerts: Pick<AlertDispatcher, 'rules' | 'sendTest' | 'stats'>;
  logger: FastifyBaseLogger;
}

/**
 * Builds the HTTP app: OTLP/HTTP receiver at `/v1/*`, REST API at `/api/v1/*`, `GET /health`.
 * Does not listen: `main` does, tests use `app.inject()`.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, storage, writer, assembly, live, agents } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: config.maxBodyBytes,
    // Answer 503 to requests that arrive while shutting down, so exporters retry elsewhere or later.
    return503OnClosing: true,
    // No log line per request: at tens of thousands of spans a second that is the log's whole volume.
    logController: new LogController({ disableRequestLogging: true }),
  });
  installAuth(app, { keys: config.keys });
  await app.register(otlpRoutes, {
    writer,
    spanSink: SPAN_SINK,
    logSink: LOG_SINK,
    maxBodyBytes: config.maxBodyBytes,
    tenantOf: (request) => request.tenantId,
    spansStored: storedHook({
      prepare: (rows: readonly SpanRow[]): CanonicalSpan[] | undefined => {
        // Refused before it is stored, so an exporter's retry is not stored twice.
        if (assembly.isBehind()) throw new AgentflowError(ERROR_CODES.OVERLOADED, 429, 'trace assembly is behind; retry later', 1);
        return live.hasSubscribers() ? rows.map(toCanonicalSpan) : undefined;
      },
      stored: (spans, exported) => {
        assembly.add(exported);
        if (spans) live.publish(eventsFromSpans(spans, agents));
      },
    }),
    logsStored: storedHook({
      prepare: (rows: readonly LogRow[]) => rows,
      stored: (rows: readonly LogRow[]) => {
        // Start records are indexed whether or not anyone listens: anomalies found before an
        // agent span ends are named after the agent its start record gave.
        const events = eventsFromLogs(rows, agents);
        if (live.hasSubscribers()) live.publish(events);
        // Live detection names a running session (and picks its thresholds) by its agent's start record.
        assembly.starts(agentStarts(rows));
        const offline = rows.find((r) => r.eventName === AGENTFLOW.HEARTBEAT_EVENT && r.attributes[AGENTFLOW.INSTANCE_STATUS] === AGENT_INSTANCE_STATUS.OFFLINE);
        // The stuck job trusts an offline report one heartbeat interval after it was sent (spans
        // of a clean shutdown may still be on their way): look just after that.
        if (offline) deps.stuck.soon((Number(offline.attributes[AGENTFLOW.HEARTBEAT_INTERVAL_MS]) || 30_000) + 500);
      },
    }),
  });
  await app.register(apiRoutes, {
    prefix: '/api/v1',
    client: storage.client,
    sql: config.sql,
    rebuild: { client: storage.client, assembler: deps.rebuilder, toCanonical: toCanonicalSpan },
    live,
    anomalies: deps.anomalies,
    alerts: deps.alerts,
  });
  app.get('/health', async (_request, reply) => {
    const ok = await storage.client.ping().then((r) => r.success, () => false);
    const assemblyStats = await assembly.stats().catch(() => 'not running');
    return reply.code(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'storage unavailable', storage: storage.location, writer: writer.stats(), assembly: assemblyStats, live: live.stats(), anomalies: deps.anomalies.stats(), alerts: deps.alerts.stats(),
    });
  });
  return app;
}
