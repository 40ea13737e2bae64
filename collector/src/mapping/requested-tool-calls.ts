import { asRecord, field } from './attribute-values.js';
import type { RequestedToolCall } from './canonical-span.js';
import { payloadHash } from './payload-hash.js';

/** Bounds on the walk: captured content is untrusted and can be large. */
const MAX_DEPTH = 12;
const MAX_CALLS = 256;

/**
 * The tool calls a model asked for, found in captured output content of any of the shapes real
 * emitters send:
 * - GenAI conventions `gen_ai.output.messages`: parts `{type: 'tool_call', id, name, arguments}`;
 * - OpenAI Chat Completions (raw responses in OpenInference `output.value`, the Agents SDK bridge,
 *   legacy `gen_ai.completion` events): `tool_calls: [{id, function: {name, arguments}}]`;
 * - OpenAI Responses `{type: 'function_call', call_id, name, arguments}`;
 * - Anthropic content blocks `{type: 'tool_use', id, name, input}`;
 * - AI SDK `ai.response.toolCalls`: `{toolCallId, toolName, input | args}`;
 * - LangChain messages: `tool_calls: [{type: 'tool_call', id, name, args}]`;
 * - unflattened OpenLLMetry / OpenInference lists (`tool_calls: [{id, name, arguments}]`,
 *   `tool_call: {id, function: {…}}`).
 * Duplicates (the same call seen in two shapes of one span) are dropped.
 */
export function requestedToolCalls(...sources: unknown[]): RequestedToolCall[] {
  const found: RequestedToolCall[] = [];
  const seen = new Set<string>();
  const add = (call: RequestedToolCall): void => {
    const key = `${call.id}\u0000${call.name}\u0000${call.argumentsHash}`;
    if (seen.has(key) || found.length >= MAX_CALLS) return;
    seen.add(key);
    found.push(call);
  };
  for (const source of sources) walk(source, 0, false, add);
  // A call seen once with its id and once without (flattened lists that drop ids) is one call.
  return found.filter((c) => c.id !== '' || !found.some((o) => o.id !== '' && o.name === c.name && o.argumentsHash === c.argumentsHash));
}

/** `inToolList`: the value sits in a `tool_calls`/`toolCalls` list, where a bare `{name}` is a call. */
function walk(value: unknown, depth: number, inToolList: boolean, add: (call: RequestedToolCall) => void): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) walk(item, depth + 1, inToolList, add);
    return;
  }
  const obj = value as Record<string, unknown>;
  const call = asToolCall(obj, inToolList);
  if (call !== undefined) {
    add(call);
    return;
  }
  for (const [key, child] of Object.entries(obj)) {
    walk(child, depth + 1, key === 'tool_calls' || key === 'toolCalls', add);
  }
}

/** The call this object describes, if it is one. */
function asToolCall(obj: Record<string, unknown>, inToolList: boolean): RequestedToolCall | undefined {
  const type = field(obj, 'type');
  if (field(obj, 'toolName') !== '') {
    return call(field(obj, 'toolCallId'), field(obj, 'toolName'), obj['input'] ?? obj['args']);
  }
  if (type === 'function_call' && field(obj, 'name') !== '') {
    return call(field(obj, 'call_id') || field(obj, 'id'), field(obj, 'name'), obj['arguments']);
  }
  if ((type === 'tool_call' || type === 'tool_use') && field(obj, 'name') !== '') {
    return call(field(obj, 'id'), field(obj, 'name'), obj['arguments'] ?? obj['input'] ?? obj['args']);
  }
  const fn = asRecord(obj['function']);
  if (fn !== undefined && field(fn, 'name') !== '') {
    return call(field(obj, 'id'), field(fn, 'name'), fn['arguments']);
  }
  const wrapped = asRecord(obj['tool_call']);
  if (wrapped !== undefined) return asToolCall(wrapped, true);
  if (inToolList && field(obj, 'name') !== '') {
    return call(field(obj, 'id'), field(obj, 'name'), obj['arguments'] ?? obj['input']);
  }
  return undefined;
}

function call(id: string, name: string, args: unknown): RequestedToolCall {
  const text = args === undefined || args === null ? '' : typeof args === 'string' ? args : JSON.stringify(args);
  return { id, name, argumentsHash: payloadHash(text) };
}
