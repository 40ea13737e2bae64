import { GEN_AI, OPENAI_AGENTS } from '@agentflow/schemas';
import { describe, expect, it } from 'vitest';
import { onlyRow, spanWith } from './test-items.js';

const row = (spanData: Record<string, unknown>) => onlyRow(spanWith(spanData));
/** The row's attributes without the ids every span carries. */
const attributesOf = (spanData: Record<string, unknown>) => {
  const { [OPENAI_AGENTS.SPAN_ID]: _span, [OPENAI_AGENTS.TRACE_ID]: _trace, ...rest } = row(spanData).attributes;
  return rest;
};

const chatCompletion = {
  id: 'chatcmpl-7', object: 'chat.completion', model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls' }],
  usage: {
    prompt_tokens: 300, completion_tokens: 25, total_tokens: 325,
    prompt_tokens_details: { cached_tokens: 128 }, completion_tokens_details: { reasoning_tokens: 9 },
  },
};
const input = [{ role: 'user', content: 'Cancel order ORD-77' }];

describe('generation spans', () => {
  it('become a chat call with request and response model, response id, finish reasons and content', () => {
    const r = row({ type: 'generation', model: 'gpt-4o-mini', model_config: {}, input, output: [chatCompletion] });
    expect(r).toMatchObject({ name: 'chat gpt-4o-mini', kind: 'Client' });
    expect(r.attributes).toMatchObject({
      [OPENAI_AGENTS.SPAN_TYPE]: 'generation',
      [GEN_AI.OPERATION_NAME]: 'chat',
      [GEN_AI.PROVIDER_NAME]: 'openai',
      [GEN_AI.REQUEST_MODEL]: 'gpt-4o-mini',
      [GEN_AI.RESPONSE_MODEL]: 'gpt-4o-mini-2024-07-18',
      [GEN_AI.RESPONSE_ID]: 'chatcmpl-7',
      [GEN_AI.RESPONSE_FINISH_REASONS]: '["tool_calls"]',
      [GEN_AI.INPUT_MESSAGES]: JSON.stringify(input),
      [GEN_AI.OUTPUT_MESSAGES]: JSON.stringify([chatCompletion]),
    });
  });

  it('reads Chat Completions usage from the raw response, cached and reasoning tokens included', () => {
    expect(row({ type: 'generation', model: 'm', output: [chatCompletion] }).attributes).toMatchObject({
      [GEN_AI.USAGE_INPUT_TOKENS]: '300', [GEN_AI.USAGE_OUTPUT_TOKENS]: '25',
      [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: '128', [GEN_AI.USAGE_REASONING_OUTPUT_TOKENS]: '9',
    });
  });

  it('reads input and output that arrive already serialised, keeping the text as sent', () => {
    const output = JSON.stringify([chatCompletion]);
    const r = row({ type: 'generation', model: 'm', input: JSON.stringify(input), output });
    expect(r.attributes).toMatchObject({
      [GEN_AI.INPUT_MESSAGES]: JSON.stringify(input), [GEN_AI.OUTPUT_MESSAGES]: output,
      [GEN_AI.RESPONSE_MODEL]: 'gpt-4o-mini-2024-07-18', [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: '128',
    });
  });

  it('prefers the span\'s own usage, its details, and fills what it lacks from the response', () => {
    const usage = { input_tokens: 310, output_tokens: 30, details: { reasoning_tokens: 12 } };
    expect(row({ type: 'generation', model: 'm', usage, output: [chatCompletion] }).attributes).toMatchObject({
      [GEN_AI.USAGE_INPUT_TOKENS]: '310', [GEN_AI.USAGE_OUTPUT_TOKENS]: '30',
      [GEN_AI.USAGE_REASONING_OUTPUT_TOKENS]: '12', [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: '128',
    });
  });

  it('reads Responses API usage (input_tokens_details, output_tokens_details)', () => {
    const usage = { input_tokens: 50, output_tokens: 7, input_tokens_details: { cached_tokens: 32 }, output_tokens_details: { reasoning_tokens: 4 } };
    expect(row({ type: 'generation', model: 'm', usage }).attributes).toMatchObject({
      [GEN_AI.USAGE_INPUT_TOKENS]: '50', [GEN_AI.USAGE_OUTPUT_TOKENS]: '7',
      [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: '32', [GEN_AI.USAGE_REASONING_OUTPUT_TOKENS]: '4',
    });
  });

  it('writes no usage when none is reported, and ignores counts that are not numbers', () => {
    const a = attributesOf({ type: 'generation', model: 'm', usage: { input_tokens: 'many', output_tokens: -1 } });
    expect(Object.keys(a).filter((k) => k.startsWith('gen_ai.usage.'))).toEqual([]);
  });

  it('names a call without a model plainly', () => {
    expect(row({ type: 'generation' }).name).toBe('chat');
  });
});

describe('response spans', () => {
  it('become a chat call with the response id', () => {
    const r = row({ type: 'response', response_id: 'resp_123' });
    expect(r).toMatchObject({ name: 'chat', kind: 'Client' });
    expect(r.attributes).toMatchObject({ [OPENAI_AGENTS.SPAN_TYPE]: 'response', [GEN_AI.OPERATION_NAME]: 'chat', [GEN_AI.RESPONSE_ID]: 'resp_123' });
  });
});

describe('agent spans', () => {
  it('become invoke_agent with the agent name, its tools, handoffs and output type', () => {
    const r = row({ type: 'agent', name: 'Triage Agent', handoffs: ['Billing Agent'], tools: [], output_type: 'text' });
    expect(r).toMatchObject({ name: 'invoke_agent Triage Agent', kind: 'Internal' });
    expect(attributesOf({ type: 'agent', name: 'Triage Agent', handoffs: ['Billing Agent'], tools: [], output_type: 'text' })).toEqual({
      [OPENAI_AGENTS.SPAN_TYPE]: 'agent', [GEN_AI.OPERATION_NAME]: 'invoke_agent', [GEN_AI.AGENT_NAME]: 'Triage Agent',
      [OPENAI_AGENTS.AGENT_HANDOFFS]: '["Billing Agent"]', [OPENAI_AGENTS.AGENT_TOOLS]: '[]', [OPENAI_AGENTS.AGENT_OUTPUT_TYPE]: 'text',
    });
  });
});

describe('function spans', () => {
  it('become execute_tool with the tool name, arguments and result', () => {
    const data = { type: 'function', name: 'lookup_invoice', input: '{"invoice_id":"INV-1"}', output: '{"status":"paid"}' };
    expect(row(data)).toMatchObject({ name: 'execute_tool lookup_invoice', kind: 'Internal' });
    expect(attributesOf(data)).toEqual({
      [OPENAI_AGENTS.SPAN_TYPE]: 'function', [GEN_AI.OPERATION_NAME]: 'execute_tool', [GEN_AI.TOOL_NAME]: 'lookup_invoice',
      [GEN_AI.TOOL_TYPE]: 'function', [GEN_AI.TOOL_CALL_ARGUMENTS]: '{"invoice_id":"INV-1"}', [GEN_AI.TOOL_CALL_RESULT]: '{"status":"paid"}',
    });
  });

  it('serialises a result that is not text', () => {
    expect(row({ type: 'function', name: 't', input: '{}', output: { ok: true } }).attributes[GEN_AI.TOOL_CALL_RESULT]).toBe('{"ok":true}');
  });
});

describe('handoff spans', () => {
  it('name the agent handing off and the agent taking over', () => {
    const data = { type: 'handoff', from_agent: 'Triage Agent', to_agent: 'Billing Agent' };
    expect(row(data).name).toBe('handoff Triage Agent -> Billing Agent');
    expect(attributesOf(data)).toEqual({
      [OPENAI_AGENTS.SPAN_TYPE]: 'handoff', [OPENAI_AGENTS.HANDOFF_FROM_AGENT]: 'Triage Agent', [OPENAI_AGENTS.HANDOFF_TO_AGENT]: 'Billing Agent',
    });
  });
});

describe('guardrail spans', () => {
  it('say whether the guardrail tripped', () => {
    const data = { type: 'guardrail', name: 'no_pii', triggered: true };
    expect(row(data).name).toBe('guardrail no_pii');
    expect(attributesOf(data)).toEqual({ [OPENAI_AGENTS.SPAN_TYPE]: 'guardrail', [OPENAI_AGENTS.GUARDRAIL_TRIGGERED]: 'true' });
  });
});

describe('custom spans', () => {
  it('read the SDK\'s turn span: its number, agent and summed usage under openai.agents.usage', () => {
    const data = { type: 'custom', name: 'turn', data: { sdk_span_type: 'turn', turn: 2, agent_name: 'Orders Agent', usage: { input_tokens: 150, output_tokens: 15, cached_input_tokens: 0 } } };
    expect(row(data).name).toBe('turn 2');
    expect(attributesOf(data)).toEqual({
      [OPENAI_AGENTS.SPAN_TYPE]: 'turn', [OPENAI_AGENTS.TURN]: '2', [GEN_AI.AGENT_NAME]: 'Orders Agent',
      [`${OPENAI_AGENTS.USAGE_PREFIX}input_tokens`]: '150', [`${OPENAI_AGENTS.USAGE_PREFIX}output_tokens`]: '15',
      [`${OPENAI_AGENTS.USAGE_PREFIX}cached_input_tokens`]: '0',
    });
  });

  it('read the SDK\'s task span: its name and summed usage, never as a call\'s usage', () => {
    const data = { type: 'custom', name: 'task', data: { sdk_span_type: 'task', name: 'Orders', usage: { input_tokens: 240, requests: 2 } } };
    expect(row(data).name).toBe('task Orders');
    expect(attributesOf(data)).toEqual({
      [OPENAI_AGENTS.SPAN_TYPE]: 'task', [`${OPENAI_AGENTS.USAGE_PREFIX}input_tokens`]: '240', [`${OPENAI_AGENTS.USAGE_PREFIX}requests`]: '2',
    });
  });

  it('keep a user\'s custom span data as JSON under its name', () => {
    const data = { type: 'custom', name: 'fetch-profile', data: { rows: 3 } };
    expect(row(data).name).toBe('fetch-profile');
    expect(attributesOf(data)).toEqual({ [OPENAI_AGENTS.SPAN_TYPE]: 'custom', [OPENAI_AGENTS.CUSTOM_DATA]: '{"rows":3}' });
  });
});

describe('other span types', () => {
  it('keep their type as the span type and the name', () => {
    const r = row({ type: 'mcp_tools', server: 'files', result: ['read'] });
    expect(r).toMatchObject({ name: 'mcp_tools', kind: 'Internal' });
    expect(attributesOf({ type: 'mcp_tools' })).toEqual({ [OPENAI_AGENTS.SPAN_TYPE]: 'mcp_tools' });
  });
});
