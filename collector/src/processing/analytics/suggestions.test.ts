import { describe, expect, it } from 'vitest';
import { suggest, type ModelInput, type SessionInput, type StepInput, type SuggestionInput } from './suggestions.js';

function figures(over: Partial<SessionInput> & { durations?: [number, number] } = {}): SessionInput {
  const [p50, p95] = over.durations ?? [1000, 1500];
  return { executions: 20, completed: 20, timed_out: 0, stale_running: 0, ended: 20, success_rate: 1, duration_ms: { p50, p95 }, ...over };
}
const step = (over: Partial<StepInput>): StepInput => ({
  agent: 'a', action_type: 'tool_call', step: 'search', calls: 10, failures: 0, retries: 0, ...over,
});
const model = (over: Partial<ModelInput>): ModelInput => ({
  agent: 'a', model: 'm', provider: 'p', input_tokens: 1000, output_tokens: 0, cost_usd: 1, unpriced_calls: 0, ...over,
});
const input = (over: Partial<SuggestionInput>): SuggestionInput => ({ agents: [], failures: [], steps: [], models: [], repeats: [], ...over });
const rules = (i: SuggestionInput) => suggest(i).map((s) => `${s.rule}:${s.agent}:${s.subject}:${s.severity}`);

describe('suggest', () => {
  it('raises nothing for a healthy agent', () => {
    expect(suggest(input({ agents: [{ agent: 'a', figures: figures() }], steps: [step({})], models: [model({})] }))).toEqual([]);
  });

  it('low_success_rate below 90% of at least 10 ended sessions, citing the most common error; critical below 50%', () => {
    const f = (completed: number, ended: number) => figures({ completed, ended, executions: ended, success_rate: completed / ended });
    const failures = [
      { agent: 'a', error_type: 'Timeout', sessions: 1, sample_message: 'slow', sample_session_id: 's1', last_ns: '2' },
      { agent: 'a', error_type: 'RateLimit', sessions: 2, sample_message: '429', sample_session_id: 's2', last_ns: '1' },
    ];
    const [s] = suggest(input({ agents: [{ agent: 'a', figures: f(7, 10) }], failures }));
    expect(s).toEqual({
      rule: 'low_success_rate', severity: 'warning', agent: 'a', subject: 'a',
      message: 'a completed 7 of 10 ended sessions (70.0%). The most common failure is RateLimit (2 of 3, e.g. "429"): fix that first.',
      evidence: { completed: 7, ended: 10, success_rate: 0.7, top_error_type: 'RateLimit', top_error_sessions: 2 },
    });
    expect(rules(input({ agents: [{ agent: 'a', figures: f(4, 10) }] }))).toEqual(['low_success_rate:a:a:critical']);
    expect(rules(input({ agents: [{ agent: 'a', figures: f(9, 10) }] }))).toEqual([]);
    expect(rules(input({ agents: [{ agent: 'a', figures: f(1, 9) }] }))).toEqual([]);
  });

  it('tail_latency when p95 is at least 3× p50 over at least 10 ended sessions', () => {
    expect(rules(input({ agents: [{ agent: 'a', figures: figures({ durations: [1000, 3000] }) }] }))).toEqual(['tail_latency:a:a:warning']);
    expect(rules(input({ agents: [{ agent: 'a', figures: figures({ durations: [1000, 2999] }) }] }))).toEqual([]);
    expect(rules(input({ agents: [{ agent: 'a', figures: figures({ durations: [1000, 9000], ended: 9 }) }] }))).toEqual([]);
  });

  it('tool_failures above 10% of at least 5 calls; critical above 50%', () => {
    expect(rules(input({ steps: [step({ failures: 2 })] }))).toEqual(['tool_failures:a:search:warning']);
    expect(rules(input({ steps: [step({ failures: 6 })] }))).toEqual(['tool_failures:a:search:critical']);
    expect(rules(input({ steps: [step({ failures: 1 })] }))).toEqual([]);
    expect(rules(input({ steps: [step({ calls: 4, failures: 3 })] }))).toEqual([]);
    // Across-agent rows and model calls are not tools of an agent.
    expect(rules(input({ steps: [step({ agent: null, failures: 5 }), step({ action_type: 'llm_call', failures: 5 })] }))).toEqual([]);
  });

  it('retries from 3 retried calls making at least 10% of a step', () => {
    expect(rules(input({ steps: [step({ action_type: 'llm_call', step: 'gpt-4o', retries: 3, calls: 30 })] }))).toEqual(['retries:a:gpt-4o:warning']);
    expect(rules(input({ steps: [step({ retries: 3, calls: 31 })] }))).toEqual([]);
    expect(rules(input({ steps: [step({ retries: 2, calls: 5 })] }))).toEqual([]);
  });

  it('expensive_model when one model carries over 60% of the cost and the agent uses a cheaper priced one', () => {
    const big = model({ model: 'big', cost_usd: 7, input_tokens: 1000 });
    const small = model({ model: 'small', cost_usd: 3, input_tokens: 10_000 });
    const [s] = suggest(input({ models: [big, small], agents: [{ agent: 'a', figures: figures() }] }));
    expect(s).toMatchObject({
      rule: 'expensive_model', severity: 'info', agent: 'a', subject: 'big',
      evidence: { model: 'big', model_cost_usd: 7, agent_cost_usd: 10, cost_share: 0.7, usd_per_1k_tokens: 7, cheaper_model: 'small', cheaper_usd_per_1k_tokens: 0.3 },
    });
    expect(s?.message).toBe("big accounts for 70.0% of a's cost ($7.00 of $10.00, $7.00 per 1K tokens); a also uses small at $0.3 per 1K tokens. Route the calls that do not need big to small.");
    // 60% exactly is not over; an unpriced alternative is not cheaper; a pricier alternative is not either.
    expect(rules(input({ models: [model({ cost_usd: 6 }), model({ model: 'x', cost_usd: 4, input_tokens: 10_000 })], agents: [{ agent: 'a', figures: figures() }] }))).toEqual([]);
    expect(rules(input({ models: [big, model({ model: 'free', cost_usd: 0, unpriced_calls: 1 })], agents: [{ agent: 'a', figures: figures() }] }))).toEqual(['unpriced_models:a:free:info']);
    expect(rules(input({ models: [big, model({ model: 'dear', cost_usd: 3, input_tokens: 100 })], agents: [{ agent: 'a', figures: figures() }] }))).toEqual([]);
  });

  it('never_completing for stale running or timed out sessions', () => {
    expect(rules(input({ agents: [{ agent: 'a', figures: figures({ stale_running: 1 }) }] }))).toEqual(['never_completing:a:a:warning']);
    expect(rules(input({ agents: [{ agent: 'a', figures: figures({ timed_out: 1 }) }] }))).toEqual(['never_completing:a:a:warning']);
    // The report's figures carry more than the rules read: sessions running, but not for long, are no sign.
    const running = { ...figures(), running: 3 };
    expect(rules(input({ agents: [{ agent: 'a', figures: running }] }))).toEqual([]);
  });

  it('unpriced_models once per model across agents', () => {
    const s = suggest(input({ models: [model({ agent: 'a', model: 'x', unpriced_calls: 2 }), model({ agent: 'b', model: 'x', unpriced_calls: 3 })] }));
    expect(s).toEqual([expect.objectContaining({ rule: 'unpriced_models', agent: null, evidence: { model: 'x', provider: 'p', unpriced_calls: 5, agents: 'a, b' } })]);
    expect(s[0]?.message).toBe('5 calls to x (p) have no price, so cost figures are a lower bound. Add the model to the price table or a price override.');
  });

  it('orders by severity, then rule, then agent', () => {
    const out = rules(input({
      agents: [{ agent: 'b', figures: figures({ stale_running: 1 }) }, { agent: 'a', figures: figures({ stale_running: 1 }) }],
      steps: [step({ failures: 9 }), step({ agent: 'b', failures: 2 })],
      repeats: [{ agent: 'a', tool: 't', sessions: 1, calls: 3, max_repeats: 3, example_session_id: 's' }],
    }));
    expect(out).toEqual([
      'tool_failures:a:search:critical', 'never_completing:a:a:warning', 'never_completing:b:b:warning', 'tool_failures:b:search:warning', 'repeated_tool_calls:a:t:warning',
    ]);
  });
});
