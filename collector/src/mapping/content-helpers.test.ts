import { describe, expect, it } from 'vitest';
import { unflatten } from './flattened.js';
import { payloadHash } from './payload-hash.js';
import { canonicalProvider } from './provider-name.js';
import { requestedToolCalls } from './requested-tool-calls.js';

describe('payloadHash', () => {
  it('is a 16-char hex prefix of SHA-256', () => {
    expect(payloadHash('{"a":1}')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('ignores key order and whitespace of JSON', () => {
    expect(payloadHash('{"city":"Rome","units":"c"}')).toBe(payloadHash('{ "units": "c", "city": "Rome" }'));
    expect(payloadHash('{"a":{"y":1,"x":[{"q":1,"p":2}]}}')).toBe(payloadHash('{"a":{"x":[{"p":2,"q":1}],"y":1}}'));
  });

  it('unwraps JSON sent as a JSON string (OpenAI arguments inside a response)', () => {
    expect(payloadHash(JSON.stringify('{"invoice_id":"INV-1"}'))).toBe(payloadHash('{"invoice_id":"INV-1"}'));
  });

  it('hashes non-JSON text as sent, and nothing as ""', () => {
    expect(payloadHash('hello')).toBe(payloadHash('"hello"'));
    expect(payloadHash('hello')).not.toBe(payloadHash('hello '));
    expect(payloadHash('')).toBe('');
  });
});

describe('unflatten', () => {
  it('rebuilds indexed lists and nested tool calls', () => {
    const attrs = {
      'p.0.role': 'user',
      'p.0.content': 'hi',
      'p.1.role': 'assistant',
      'p.1.tool_calls.0.name': 'f',
      'p.1.tool_calls.0.arguments': '{}',
      'other.0.role': 'x',
    };
    expect(unflatten(attrs, 'p')).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', tool_calls: [{ name: 'f', arguments: '{}' }] },
    ]);
  });

  it('skips prototype keys, huge indices and conflicting paths', () => {
    const attrs = { 'p.0.__proto__.x': '1', 'p.99999.role': 'x', 'p.0.role': 'user', 'p.0.role.deep': 'y' };
    expect(unflatten(attrs, 'p')).toEqual([{ role: 'user' }]);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});

describe('requestedToolCalls', () => {
  const argsHash = payloadHash('{"city":"Rome"}');

  it('reads GenAI output message parts', () => {
    const out = [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Rome' } }] }];
    expect(requestedToolCalls(out)).toEqual([{ id: 'c1', name: 'get_weather', argumentsHash: argsHash }]);
  });

  it('reads OpenAI chat completions, Responses and Anthropic shapes', () => {
    const chat = { choices: [{ message: { tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] } }] };
    const responses = [{ type: 'function_call', call_id: 'c2', name: 'get_weather', arguments: '{"city":"Rome"}' }];
    const anthropic = { content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Rome' } }] };
    expect(requestedToolCalls(chat, responses, anthropic).map((c) => [c.id, c.argumentsHash])).toEqual([
      ['c1', argsHash], ['c2', argsHash], ['toolu_1', argsHash],
    ]);
  });

  it('reads AI SDK toolCalls and LangChain tool_calls', () => {
    const ai = [{ toolCallId: 'c1', toolName: 'get_weather', input: '{"city":"Rome"}' }];
    const lc = { tool_calls: [{ type: 'tool_call', id: 'c2', name: 'get_weather', args: { city: 'Rome' } }] };
    expect(requestedToolCalls(ai, lc).map((c) => c.id)).toEqual(['c1', 'c2']);
  });

  it('merges one call seen in two shapes, with and without its id', () => {
    const flattened = [{ message: { tool_calls: [{ tool_call: { function: { name: 'get_weather', arguments: '{"city":"Rome"}' } } }] } }];
    const raw = { choices: [{ message: { tool_calls: [{ id: 'c1', function: { name: 'get_weather', arguments: '{"city": "Rome"}' } }] } }] };
    expect(requestedToolCalls(flattened, raw)).toEqual([{ id: 'c1', name: 'get_weather', argumentsHash: argsHash }]);
  });

  it('finds nothing in text or malformed content', () => {
    expect(requestedToolCalls(undefined, 'text', 42, null, [{ role: 'assistant', content: 'hi' }])).toEqual([]);
  });
});

describe('canonicalProvider', () => {
  it('maps SDK provider ids and spellings to the GenAI well-known names', () => {
    expect(canonicalProvider('openai.chat')).toBe('openai');
    expect(canonicalProvider('openai.responses')).toBe('openai');
    expect(canonicalProvider('Anthropic')).toBe('anthropic');
    expect(canonicalProvider('anthropic.messages')).toBe('anthropic');
    expect(canonicalProvider('google.generative-ai')).toBe('gcp.gemini');
    expect(canonicalProvider('google.vertex.chat')).toBe('gcp.vertex_ai');
    expect(canonicalProvider('amazon-bedrock')).toBe('aws.bedrock');
    expect(canonicalProvider('gcp.vertex_ai')).toBe('gcp.vertex_ai');
    expect(canonicalProvider('mistral.chat')).toBe('mistral_ai');
    expect(canonicalProvider('')).toBe('');
  });
});
