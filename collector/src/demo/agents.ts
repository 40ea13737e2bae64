import type { AgentSession, AgentTracker } from '@agentflow/instrumentation';
import { ask, useTool, type AgentKit } from './agent-kit.js';
import { RateLimitError } from './mock-llm.js';

/** Agent names of the demo fleet: what `agent_sessions.agent_name` shows. */
export const AGENT = {
  ORCHESTRATOR: 'trip-orchestrator',
  FLIGHT: 'flight-agent',
  HOTEL: 'hotel-agent',
  WEATHER: 'weather-agent',
  MONITOR: 'monitor-agent',
} as const;

/** A piece of the trip the orchestrator hands to a sub-agent. */
export interface SubTask {
  /** Id of the orchestrator's request message; the sub-agent's response refers to it. */
  requestId: string;
  /** Node of the orchestrator's task decomposition (`agentflow.task.id`). */
  taskId: string;
}

/** What a sub-agent hands back: a one-line summary and its session id. */
export interface SubResult {
  summary: string;
  sessionId: string;
}

/** Times `get_forecast` is asked before the weather agent settles for a provisional forecast. */
export const FORECAST_POLLS = 6;

/** The sub-agent's answer to the orchestrator's request, then the final state. */
function reply(session: AgentSession, task: SubTask, channel: string): void {
  session.message({ toAgent: AGENT.ORCHESTRATOR, type: 'response', inResponseTo: task.requestId, channel });
  session.state('done');
}

/** Searches flights, picks one by rule, books it and summarises: two model calls, two tool calls. */
export function flightAgent(kit: AgentKit, tracker: AgentTracker, task: SubTask): Promise<SubResult> {
  const session = { agentId: 'flight-agent-1', agentName: AGENT.FLIGHT, agentType: 'booking', goal: 'Book 2 seats BER → LIS on 12 May', trigger: 'delegation', taskId: task.taskId };
  return tracker.runSession(session, async (s) => {
    s.state('searching');
    await ask(kit, s, { model: 'gpt-4o-mini', purpose: 'pick-flight-query', prompt: 'Turn the trip request into a flight search: Berlin to Lisbon, 12 May, 2 adults.', latencyMs: 350 });
    const search = { from: 'BER', to: 'LIS', date: '2026-05-12', passengers: 2 };
    const flights = await useTool(kit, s, { name: 'search_flights', callId: 'call_search_flights_1', args: search, latencyMs: 250 }, () => [
      { code: 'TP 539', departs: '07:05', price: 171 }, { code: 'FR 1232', departs: '13:40', price: 129 }, { code: 'LH 1166', departs: '09:15', price: 244 },
    ]);
    s.decision({
      type: 'selection', question: 'Which flight to book?', options: flights.map((f) => f.code), chosen: 'TP 539',
      reasoning: 'Direct, arrives before noon; FR 1232 is cheaper but lands after check-in closes', confidence: 0.91, method: 'rule',
    });
    s.state('booking');
    await useTool(kit, s, { name: 'book_flight', callId: 'call_book_flight_1', args: { flight: 'TP 539', passengers: 2 }, latencyMs: 300 }, () => ({ pnr: 'X7K2QD' }));
    const summary = await ask(kit, s, { model: 'gpt-4o-mini', purpose: 'summarise-flight', prompt: 'Summarise booking X7K2QD for the traveller.', latencyMs: 300 });
    reply(s, task, 'in-process');
    return { summary: summary.text, sessionId: s.sessionId };
  });
}

/** Finds and reserves a hotel. Runs in its own process (remote-agent.ts), under the orchestrator's propagated context. */
export async function hotelAgent(kit: AgentKit, s: AgentSession, task: SubTask): Promise<SubResult> {
  s.state('searching');
  const hotels = await useTool(kit, s, {
    name: 'search_hotels', callId: 'call_search_hotels_1', args: { city: 'Lisbon', check_in: '2026-05-12', nights: 3, guests: 2 }, latencyMs: 250,
  }, () => ['Casa do Largo', 'Memmo Alfama', 'Lisboa Pessoa']);
  const pick = await ask(kit, s, { model: 'claude-haiku-4-5', purpose: 'pick-hotel', prompt: `Pick the best of: ${hotels.join(', ')} for a couple, mid budget.`, latencyMs: 400 });
  s.state('reserving');
  await useTool(kit, s, { name: 'reserve_room', callId: 'call_reserve_room_1', args: { hotel: 'Casa do Largo', nights: 3, guests: 2 }, latencyMs: 300 }, () => ({ confirmation: 'CDL-20260512-44' }));
  reply(s, task, 'stdio');
  return { summary: pick.text, sessionId: s.sessionId };
}

/**
 * Gets the forecast. The weather service keeps answering "provisional", and the agent keeps asking
 * with the same arguments until its poll limit: a loop agentflow should see. Its first model call
 * is rate-limited; the agent backs off and retries once.
 */
export function weatherAgent(kit: AgentKit, tracker: AgentTracker, task: SubTask): Promise<SubResult> {
  const session = { agentId: 'weather-agent-1', agentName: AGENT.WEATHER, agentType: 'research', goal: 'Forecast Lisbon for 12–15 May', trigger: 'delegation', taskId: task.taskId };
  return tracker.runSession(session, async (s) => {
    s.state('forecasting');
    for (let poll = 1; poll <= FORECAST_POLLS; poll++) {
      const forecast = await useTool(kit, s, {
        name: 'get_forecast', callId: `call_get_forecast_${poll}`, args: { city: 'Lisbon', from: '2026-05-12', days: 3 }, latencyMs: 200,
      }, () => ({ status: 'provisional', high_c: 23, low_c: 19, rain_pct: 30 }));
      if (forecast.status !== 'provisional') break;
    }
    const request = { model: 'gpt-4o-mini', purpose: 'summarise-weather', prompt: 'Summarise: provisional, 19–23 °C, 30% rain on day 2.', latencyMs: 300 } as const;
    let summary;
    try {
      summary = await ask(kit, s, request);
    } catch (err) {
      if (!(err instanceof RateLimitError)) throw err;
      s.state('backing_off', { reason: err.message, transitionType: 'error' });
      await kit.pace.sleep(300);
      s.state('forecasting', { transitionType: 'retry' });
      s.retry(1);
      summary = await ask(kit, s, request);
    }
    reply(s, task, 'in-process');
    return { summary: summary.text, sessionId: s.sessionId };
  });
}

/** A monitor that started watching and is still watching when the demo stops. */
export interface RunningMonitor {
  sessionId: string;
  traceId: string;
  /** Settles once `stop` resolved and the session span ended. */
  done: Promise<void>;
}

/**
 * Starts the fleet monitor: a session of its own (scheduled, not delegated) whose `watch_fleet` tool
 * call blocks until `stop` resolves. The demo resolves it only after telemetry is shut down, so its
 * spans never end as far as the collector knows: it sees the live start records and heartbeats.
 */
export function startMonitor(kit: AgentKit, tracker: AgentTracker, conversationId: string, stop: Promise<void>): RunningMonitor {
  let ids = { sessionId: '', traceId: '' };
  const options = { agentId: 'monitor-agent-1', agentName: AGENT.MONITOR, agentType: 'monitor', goal: 'Watch the fleet for stalled sessions', trigger: 'schedule', conversationId };
  const done = tracker.runSession(options, async (s) => {
    ids = { sessionId: s.sessionId, traceId: s.traceId };
    s.state('watching');
    await useTool(kit, s, { name: 'watch_fleet', callId: 'call_watch_fleet_1', args: { poll_interval_s: 30 }, latencyMs: 0 }, () => stop);
  });
  return { ...ids, done };
}
