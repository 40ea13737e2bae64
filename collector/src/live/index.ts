export { LiveHub } from './live-hub.js';
export type { LiveFilter, LiveSink, LiveStats } from './live-hub.js';
export { AgentIndex, agentStarts, eventsFromAnomalies, eventsFromLogs, eventsFromSpans } from './live-events.js';
export type { AgentStart, LiveEvent, LiveEventType } from './live-events.js';
export { liveRoute, LIVE_QUERY } from './live-route.js';
