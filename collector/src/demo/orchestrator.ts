import type { AgentSession, AgentTracker } from '@agentflow/instrumentation';
import { ask, type AgentKit } from './agent-kit.js';
import { AGENT, flightAgent, weatherAgent, type SubResult, type SubTask } from './agents.js';

/** Runs the hotel agent elsewhere: `carrier` holds the orchestrator's W3C trace context. */
export type RemoteHotelAgent = (carrier: Record<string, string>, task: SubTask) => Promise<SubResult>;

/** What the orchestrator's session produced. */
export interface TripResult {
  sessionId: string;
  traceId: string;
  itinerary: string;
  flight: SubResult;
  hotel: SubResult;
  weather: SubResult;
}

/** The strategies the orchestrator weighs; it picks the parallel one. */
const STRATEGIES = ['single generalist agent', 'specialist agents in parallel', 'specialist agents in sequence'];

/** Nominal time a request message takes to reach its agent, ms. */
const DELIVERY_MS = 20;

/**
 * Sends the request message, then runs the sub-agent once the message was "delivered". The delay
 * also keeps the receiving session's start after the message's time: the SDK stamps span starts in
 * whole milliseconds but events to the sub-millisecond, and agentflow links a message to the first
 * session of its receiver that starts at or after it.
 */
async function delegate(
  kit: AgentKit, s: AgentSession, toAgent: string, index: number, channel: string, run: (task: SubTask) => Promise<SubResult>,
): Promise<SubResult> {
  const task: SubTask = { requestId: `req-${s.sessionId}-${index}`, taskId: `trip/${toAgent}` };
  s.message({ toAgent, type: 'request', requestId: task.requestId, channel });
  await new Promise((resolve) => setTimeout(resolve, Math.max(2, Math.round(DELIVERY_MS * kit.pace.scale))));
  return run(task);
}

/**
 * The trip orchestrator: plans (one model call), decides how to split the work, delegates to the
 * flight and weather agents in this process and to the hotel agent in another one, in parallel,
 * then reviews the results (a second model call). States: planning → delegating → reviewing → done.
 */
export function runTrip(kit: AgentKit, tracker: AgentTracker, conversationId: string, remoteHotel: RemoteHotelAgent): Promise<TripResult> {
  const session = {
    agentId: 'trip-orchestrator-1', agentName: AGENT.ORCHESTRATOR, agentType: 'orchestrator', goal: 'Plan a 3-night trip to Lisbon for 2 travellers, 12–15 May',
    goalType: 'planning', workflowName: 'trip-planning-v1', conversationId, userId: 'demo-user', trigger: 'user_message',
  };
  return tracker.runSession(session, async (s) => {
    s.state('planning');
    await ask(kit, s, { model: 'claude-sonnet-4-5', purpose: 'plan-trip', prompt: 'Plan: Berlin → Lisbon, 12–15 May, 2 adults, mid budget. Which specialists do we need?', latencyMs: 500 });
    s.decision({
      type: 'strategy', question: 'How should the trip request be handled?', options: STRATEGIES, chosen: 'specialist agents in parallel',
      reasoning: 'Flights, hotel and weather do not depend on each other; parallel specialists finish soonest', confidence: 0.82, method: 'llm',
    });
    s.state('delegating');
    const [flight, hotel, weather] = await Promise.all([
      delegate(kit, s, AGENT.FLIGHT, 1, 'in-process', (task) => flightAgent(kit, tracker, task)),
      delegate(kit, s, AGENT.HOTEL, 2, 'stdio', (task) => remoteHotel(s.injectContext({}), task)),
      delegate(kit, s, AGENT.WEATHER, 3, 'in-process', (task) => weatherAgent(kit, tracker, task)),
    ]);
    s.state('reviewing');
    const review = await ask(kit, s, {
      model: 'claude-sonnet-4-5', purpose: 'review-itinerary', prompt: `Write the itinerary from:\n${flight.summary}\n${hotel.summary}\n${weather.summary}`, latencyMs: 600,
    });
    s.state('done', { reason: 'itinerary sent to the user' });
    return { sessionId: s.sessionId, traceId: s.traceId, itinerary: review.text, flight, hotel, weather };
  });
}
