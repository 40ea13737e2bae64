import type { Action, Communication, Transition } from './record-rows.js';
import type { SessionSummary } from './session-rows.js';

/** A session summary for unit tests: completed, started at 12:00:00 UTC on 2025-01-01, 1 s long. */
export function testSession(overrides: Partial<SessionSummary> = {}): SessionSummary {
  return {
    session_id: 'aaaaaaaaaaaaaaaa', trace_id: 't'.repeat(32), root_session_id: 'aaaaaaaaaaaaaaaa', parent_session_id: '',
    agent_id: '', agent_name: 'agent', agent_type: '', agent_description: '', goal: '', goal_type: '', task_id: '',
    workflow_name: '', conversation_id: '', user_id: '', trigger: '', status: 'completed',
    started_at: '2025-01-01T12:00:00.000000000Z', ended_at: '2025-01-01T12:00:01.000000000Z', duration_ms: 1000,
    llm_calls: 0, tool_calls: 0, actions: 0, errors: 0, input_tokens: 0, output_tokens: 0, cache_read_tokens: 0,
    cache_write_tokens: 0, reasoning_tokens: 0, cost_usd: 0, unpriced_calls: 0, error_type: '', error_message: '',
    service_name: 'svc', service_instance_id: '', span_name: 'invoke_agent agent', dialect: 'otel-genai', implicit: false,
    ...overrides,
  };
}

/** An action for unit tests: a completed LLM call at `offsetMs` into the test session. */
export function testAction(sequence: number, offsetMs: number, overrides: Partial<Action> = {}): Action {
  const at = (ms: number) => `2025-01-01T12:00:${String(Math.floor(ms / 1000)).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}000000Z`;
  return {
    action_id: `act${sequence}`, session_id: 'aaaaaaaaaaaaaaaa', parent_span_id: '', agent_name: 'agent', sequence,
    action_type: 'llm_call', name: 'chat gpt-4o', tool_name: '', tool_call_id: '', model: 'gpt-4o', request_model: 'gpt-4o',
    provider: 'openai', status: 'completed', error_type: '', error: '', retry_attempt: 0, input_tokens: 100, output_tokens: 10,
    cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost_usd: 0.001, cost_source: 'computed',
    started_at: at(offsetMs), ended_at: at(offsetMs + 100), duration_ms: 100, finish_reasons: [], quality_score: null,
    ...overrides,
  };
}

/** A state change for unit tests. */
export function testTransition(sequence: number, from: string, to: string, enteredAt: string): Transition {
  return {
    transition_id: `x:${sequence}`, sequence, from_state: from, to_state: to, reason: '', transition_type: '',
    entered_at: enteredAt, exited_at: null, duration_ms: null,
  };
}

/** A communication for unit tests. */
export function testCommunication(overrides: Partial<Communication>): Communication {
  return {
    communication_id: 'c', from_session_id: '', to_session_id: '', from_agent: '', to_agent: '', message_type: 'message',
    request_id: '', in_response_to: '', channel: '', sent_at: '2025-01-01T12:00:00.000000000Z', ...overrides,
  };
}
