import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createAgentTracker, startAgentTelemetry } from '@agentflow/instrumentation';
import { CliError, EXIT, headersFor, postJson, request, type ServerTarget } from '../cli/http.js';
import { createPace } from './agent-kit.js';
import { AGENT, startMonitor } from './agents.js';
import { runHotelProcess } from './hotel-process.js';
import { createMockLlm } from './mock-llm.js';
import { runTrip, type TripResult } from './orchestrator.js';
import { printReport, section, waitForAnomaly, waitForSessions } from './report.js';
import { runningSessionsSql } from './demo-sql.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** The collector: OTLP goes to `${baseUrl}/v1/*`, queries to `/api/v1/sql`; the key (if any) needs ingest and read. */
  target: ServerTarget;
  /** Seconds the fleet runs; simulated model and tool latency is paced to fit. Default {@link DEFAULT_DEMO_DURATION_S}. */
  durationS?: number;
  /** Where the report goes, a line at a time. */
  out: (text: string) => void;
  /** The hotel agent's entry point. Default: `remote-agent.js` beside this module (the built one). */
  remoteAgentPath?: string;
  /** Longest wait for the collector to derive the run's sessions after the fleet stopped, ms. Default 30,000. */
  settleTimeoutMs?: number;
}

/** Identities of what the demo ran, for finding its records. */
export interface DemoResult {
  runId: string;
  /** The trip's trace (orchestrator, flight, hotel and weather agents). */
  tripTraceId: string;
  /** The monitor's own trace, whose session never ended. */
  monitorTraceId: string;
  orchestratorSessionId: string;
  monitorSessionId: string;
  /** `service.instance.id` of this process and of the hotel agent's process. */
  mainInstanceId: string;
  hotelInstanceId: string;
  /** Ended sessions the collector had derived when the report was printed (4 when all arrived). */
  sessionsRecorded: number;
}

/** Default run time, seconds; the script's nominal latencies are sized for it. */
export const DEFAULT_DEMO_DURATION_S = 5;
/** Sessions of the trip that end: orchestrator, flight, hotel, weather. */
const TRIP_SESSIONS = 4;
/** Heartbeat period of the demo processes: often enough to see a few in a short run. */
const HEARTBEAT_MS = 1_000;
const HOTEL_TIMEOUT_MS = 60_000;

/**
 * Fails fast, before any agent runs, when the collector is down or the key may not both ingest and
 * read: the exporters report refused exports only through the SDK's diagnostics, so the demo
 * would otherwise run, send nothing and wait for records that never come.
 */
async function preflight(target: ServerTarget): Promise<void> {
  const health = await request(target, '/health');
  if (!health.ok) throw new CliError(EXIT.QUERY_FAILED, `agentflow at ${target.baseUrl} is not healthy (HTTP ${health.status})`);
  // An empty OTLP/JSON export: stores nothing, but is refused exactly as a real one would be.
  const ingest = await request(target, '/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  if (!ingest.ok) {
    const message = ((await ingest.json().catch(() => ({}))) as { message?: string }).message ?? `HTTP ${ingest.status}`;
    throw new CliError(EXIT.QUERY_FAILED, `agentflow refuses the demo's exports: ${message}`);
  }
  await postJson(target, '/api/v1/sql', { query: 'SELECT 1' });
}

/**
 * Runs the demo fleet against a running collector through the real OpenTelemetry SDK and OTLP/HTTP
 * exporters, then prints what the collector recorded. The fleet: `trip-orchestrator` plans, decides
 * and delegates in parallel to `flight-agent` (this process), `hotel-agent` (a child process, linked
 * by propagated W3C trace context) and `weather-agent` (a rate-limited model call retried once, and
 * six identical `get_forecast` calls); `monitor-agent` is still running when the demo stops. A
 * deterministic mock model stands in for the providers: no network beyond the collector.
 *
 * It registers the global OpenTelemetry providers, so call it once per process.
 *
 * @throws CliError when the collector is unreachable (exit 3) or refuses a request (exit 1); the
 *   agents' own failures (a hotel process that does not answer) as plain errors.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { target, out } = options;
  const durationS = options.durationS ?? DEFAULT_DEMO_DURATION_S;
  await preflight(target);

  const runId = randomBytes(4).toString('hex');
  const conversationId = `trip-${runId}`;
  const mainInstanceId = `trip-planner-${runId}`;
  const hotelInstanceId = `hotel-agent-${runId}`;
  const headers = headersFor(target);
  const endpoint = target.baseUrl;
  const telemetry = startAgentTelemetry({
    serviceName: 'trip-planner', endpoint, headers, serviceInstanceId: mainInstanceId, capacity: 8, heartbeatIntervalMs: HEARTBEAT_MS, exportIntervalMs: 500,
  });
  // Content capture on: the demo's prompts hold no personal data, and agentflow hashes tool
  // arguments (args_hash) only when they are recorded, which is how it tells a loop.
  const tracker = createAgentTracker({ captureContent: true });
  const pace = createPace(durationS / DEFAULT_DEMO_DURATION_S);
  const kit = { llm: createMockLlm({ failFirstCall: ['summarise-weather'] }), pace };
  const hotelOptions = {
    scriptPath: options.remoteAgentPath ?? fileURLToPath(new URL('./remote-agent.js', import.meta.url)),
    base: { endpoint, headers, serviceInstanceId: hotelInstanceId, heartbeatIntervalMs: HEARTBEAT_MS, paceScale: pace.scale, conversationId },
    timeoutMs: HOTEL_TIMEOUT_MS,
  };

  out(`agentflow demo: run ${runId}, exporting to ${endpoint} for about ${durationS} s`);
  const started = Date.now();
  let stopMonitor = (): void => undefined;
  const monitor = startMonitor(kit, tracker, conversationId, new Promise<void>((resolve) => (stopMonitor = resolve)));
  let trip: TripResult;
  try {
    trip = await runTrip(kit, tracker, conversationId, (carrier, task) => runHotelProcess(hotelOptions, carrier, task));
    // The fleet stays up for the whole duration: the monitor keeps watching and heartbeats go on.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + durationS * 1000 - Date.now())));
    await section(target, `Running now, before the fleet stops (${AGENT.MONITOR} is mid-session, its process alive)`, runningSessionsSql([monitor.traceId]), out);
  } finally {
    // Shut telemetry down while the monitor is still inside its session: its spans are never
    // exported, only the start records and heartbeats it already sent. Then let it finish, so
    // nothing is left pending and the process exits at once.
    await telemetry.shutdown();
    stopMonitor();
    await monitor.done.catch(() => undefined);
  }
  out(`fleet stopped after ${((Date.now() - started) / 1000).toFixed(1)} s; ${AGENT.MONITOR} was still running. Itinerary: ${trip.itinerary}`);

  const traceIds = [trip.traceId, monitor.traceId];
  out('waiting for agentflow to derive the sessions…');
  const sessionsRecorded = await waitForSessions(target, [trip.traceId], TRIP_SESSIONS, options.settleTimeoutMs ?? 30_000);
  if (sessionsRecorded < TRIP_SESSIONS) out(`only ${sessionsRecorded} of ${TRIP_SESSIONS} trip sessions derived so far; showing what there is`);
  // The process said it went offline with the monitor's session open: the stuck job reports it orphaned.
  if (!(await waitForAnomaly(target, [monitor.traceId], 'stuck.orphaned', options.settleTimeoutMs ?? 30_000))) out(`${AGENT.MONITOR} not reported orphaned yet`);
  out(`trace ${trip.traceId} (trip), ${monitor.traceId} (monitor)`);
  await printReport(target, { traceIds, instanceIds: [mainInstanceId, hotelInstanceId] }, out);
  return {
    runId, tripTraceId: trip.traceId, monitorTraceId: monitor.traceId, orchestratorSessionId: trip.sessionId, monitorSessionId: monitor.sessionId,
    mainInstanceId, hotelInstanceId, sessionsRecorded,
  };
}
