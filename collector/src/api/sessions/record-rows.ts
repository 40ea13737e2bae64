import { isoFromNs } from './time.js';
import type { UsageFigures } from '../usage-figures.js';

/**
 * Rows of the records inside a session (actions, state transitions, decisions, communications):
 * the columns each query selects and the API shape each becomes. Column names are those of the
 * `agentflow.agent_*` views; times ISO 8601 UTC with nanoseconds, durations in ms, cost in USD.
 */

const ns = (column: string, alias: string) => `toString(toUnixTimestamp64Nano(${column})) AS ${alias}`;

/** Columns selected from `agent_actions` for {@link toAction}. */
export const ACTION_COLUMNS = `action_id, session_id, parent_span_id, agent_name, sequence, action_type, name, tool_name, tool_call_id,
  model, request_model, provider, status, error_type, error, retry_attempt, input_tokens, output_tokens, cache_read_tokens,
  cache_write_tokens, reasoning_tokens, cost_usd, cost_source, ${ns('started_at', 'started_ns')}, ${ns('ended_at', 'ended_ns')},
  duration_ms, finish_reasons, quality_score, quality_issues`;

/** An LLM call, tool call, retrieval, embedding, handoff, guardrail or custom action. */
export interface Action extends UsageFigures {
  action_id: string;
  session_id: string;
  parent_span_id: string;
  agent_name: string;
  /** 1-based, in start order within the session. */
  sequence: number;
  action_type: string;
  name: string;
  tool_name: string;
  tool_call_id: string;
  model: string;
  request_model: string;
  provider: string;
  status: string;
  error_type: string;
  error: string;
  retry_attempt: number;
  /** provided, computed or unknown. */
  cost_source: string;
  started_at: string;
  ended_at: string;
  duration_ms: number;
  finish_reasons: string[];
  /** Answer checks of a model call with captured output: share passed (0–1), null when none ran. */
  quality_score: number | null;
  /** The failed checks (`refusal`, `too_short`…). */
  quality_issues: string[];
}

/** A stored action row → its API shape. */
export function toAction(r: Record<string, unknown>): Action {
  return {
    action_id: str(r.action_id), session_id: str(r.session_id), parent_span_id: str(r.parent_span_id), agent_name: str(r.agent_name),
    sequence: num(r.sequence), action_type: str(r.action_type), name: str(r.name), tool_name: str(r.tool_name),
    tool_call_id: str(r.tool_call_id), model: str(r.model), request_model: str(r.request_model), provider: str(r.provider),
    status: str(r.status), error_type: str(r.error_type), error: str(r.error), retry_attempt: num(r.retry_attempt),
    input_tokens: num(r.input_tokens), output_tokens: num(r.output_tokens), cache_read_tokens: num(r.cache_read_tokens),
    cache_write_tokens: num(r.cache_write_tokens), reasoning_tokens: num(r.reasoning_tokens), cost_usd: num(r.cost_usd),
    cost_source: str(r.cost_source), started_at: isoFromNs(str(r.started_ns)), ended_at: isoFromNs(str(r.ended_ns)),
    duration_ms: num(r.duration_ms), finish_reasons: (r.finish_reasons as string[] | undefined) ?? [],
    quality_score: r.quality_score === null || r.quality_score === undefined ? null : num(r.quality_score),
    quality_issues: (r.quality_issues as string[] | undefined) ?? [],
  };
}

/** Columns selected from `agent_state_transitions` for {@link toTransition}. */
export const TRANSITION_COLUMNS = `transition_id, sequence, from_state, to_state, reason, transition_type, ${ns('entered_at', 'entered_ns')},
  if(exited_at IS NULL, NULL, toString(toUnixTimestamp64Nano(assumeNotNull(exited_at)))) AS exited_ns, duration_ms`;

/** A change of the agent's state; it lasts until the next one or the session's end (null while running). */
export interface Transition {
  transition_id: string;
  sequence: number;
  from_state: string;
  to_state: string;
  reason: string;
  transition_type: string;
  entered_at: string;
  exited_at: string | null;
  duration_ms: number | null;
}

/** A stored transition row → its API shape. */
export function toTransition(r: Record<string, unknown>): Transition {
  return {
    transition_id: str(r.transition_id), sequence: num(r.sequence), from_state: str(r.from_state), to_state: str(r.to_state),
    reason: str(r.reason), transition_type: str(r.transition_type), entered_at: isoFromNs(str(r.entered_ns)),
    exited_at: r.exited_ns === null || r.exited_ns === undefined ? null : isoFromNs(str(r.exited_ns)),
    duration_ms: r.duration_ms === null || r.duration_ms === undefined ? null : num(r.duration_ms),
  };
}

/** Columns selected from `agent_decisions` for {@link toDecision}. */
export const DECISION_COLUMNS = `decision_id, action_id, decision_type, question, options, chosen, chosen_index, reasoning, confidence,
  method, ${ns('decided_at', 'decided_ns')}`;

/** A decision point: what was asked, the options, what was chosen and how sure the agent was. */
export interface Decision {
  decision_id: string;
  /** The span the decision was recorded on; '' when on the session's own span. */
  action_id: string;
  decision_type: string;
  question: string;
  options: string[];
  chosen: string;
  /** -1 when the choice is not one of `options`. */
  chosen_index: number;
  reasoning: string;
  confidence: number | null;
  method: string;
  decided_at: string;
}

/** A stored decision row → its API shape. */
export function toDecision(r: Record<string, unknown>): Decision {
  return {
    decision_id: str(r.decision_id), action_id: str(r.action_id), decision_type: str(r.decision_type), question: str(r.question),
    options: (r.options as string[] | undefined) ?? [], chosen: str(r.chosen), chosen_index: num(r.chosen_index),
    reasoning: str(r.reasoning), confidence: r.confidence === null || r.confidence === undefined ? null : num(r.confidence),
    method: str(r.method), decided_at: isoFromNs(str(r.decided_ns)),
  };
}

/** Columns selected from `agent_communications` for {@link toCommunication}. */
export const COMMUNICATION_COLUMNS = `communication_id, from_session_id, to_session_id, from_agent, to_agent, message_type, request_id,
  in_response_to, channel, ${ns('sent_at', 'sent_ns')}`;

/** A message, delegation, handoff or span link between two sessions. */
export interface Communication {
  communication_id: string;
  from_session_id: string;
  /** '' when the receiving session is not known. */
  to_session_id: string;
  from_agent: string;
  to_agent: string;
  /** delegation, handoff, message (or the emitter's own type), link. */
  message_type: string;
  request_id: string;
  in_response_to: string;
  channel: string;
  sent_at: string;
}

/** A stored communication row → its API shape. */
export function toCommunication(r: Record<string, unknown>): Communication {
  return {
    communication_id: str(r.communication_id), from_session_id: str(r.from_session_id), to_session_id: str(r.to_session_id),
    from_agent: str(r.from_agent), to_agent: str(r.to_agent), message_type: str(r.message_type), request_id: str(r.request_id),
    in_response_to: str(r.in_response_to), channel: str(r.channel), sent_at: isoFromNs(str(r.sent_ns)),
  };
}

function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

function num(v: unknown): number {
  return Number(v ?? 0);
}
