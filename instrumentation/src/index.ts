/**
 * `@agentflow/instrumentation`: how an agent reports its sessions, states, actions, decisions and
 * messages as OpenTelemetry GenAI spans plus agentflow's `agentflow.*` extensions.
 *
 * - {@link createAgentTracker}: the API agents call; needs only `@opentelemetry/api`.
 * - {@link startAgentTelemetry}: optional SDK setup (OTLP/HTTP traces and logs, live signals).
 * - {@link createLiveSignalProcessor}: the live processor alone, for an application's own SDK.
 * - {@link instrumentOpenAI} / {@link instrumentAnthropic}: wrap provider clients.
 */
export { createAgentTracker } from './tracker.js';
export { DEFAULT_TRACER_NAME } from './scope.js';
export type {
  ActionHandle, ActionOptions, ActionRecorder, AgentSession, AgentTracker, AgentTrackerOptions, DecisionInfo, LlmCall, LlmOptions,
  LlmResult, MessageInfo, SessionOptions, StateOptions, ToolCall, ToolOptions,
} from './types.js';
export { startAgentTelemetry, DEFAULT_ENDPOINT } from './telemetry.js';
export { GuardStopError } from './guard.js';
export type { GuardAnswer, GuardOptions } from './guard.js';
export type { AgentTelemetry, AgentTelemetryOptions } from './telemetry.js';
export { createLiveSignalProcessor, DEFAULT_HEARTBEAT_INTERVAL_MS } from './live-signals.js';
export type { LiveSignalOptions, LiveSignalProcessor } from './live-signals.js';
export { instrumentOpenAI } from './providers/openai.js';
export { instrumentAnthropic } from './providers/anthropic.js';
