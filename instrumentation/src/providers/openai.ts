import { coreOf } from '../tracker.js';
import type { AgentTracker, LlmResult } from '../types.js';
import { appendBounded, contentParts, textPart, toolCallPart, toolResponsePart, type ChatMessage, type Part } from './genai-parts.js';
import { arr, num, rec, str } from './shapes.js';
import { wrapMethod, type ProviderAdapter, type StreamAccumulator } from './traced-call.js';

/** `gen_ai.provider.name` of the OpenAI API. */
const PROVIDER = 'openai';

/**
 * Chat Completions usage: `prompt_tokens` already includes the cached tokens and `completion_tokens`
 * the reasoning tokens, which is what agentflow's input/output counts mean.
 */
function usage(value: unknown): LlmResult {
  const u = rec(value);
  if (u === undefined) return {};
  return {
    inputTokens: num(u['prompt_tokens']),
    outputTokens: num(u['completion_tokens']),
    cacheReadTokens: num(rec(u['prompt_tokens_details'])?.['cached_tokens']),
    reasoningTokens: num(rec(u['completion_tokens_details'])?.['reasoning_tokens']),
  };
}

function inputMessage(message: unknown, defaultRole = 'user'): ChatMessage {
  const m = rec(message);
  const role = str(m?.['role']) ?? defaultRole;
  if (role === 'tool') return { role, parts: [toolResponsePart(m?.['tool_call_id'], m?.['content'])] };
  const parts = contentParts(m?.['content']);
  for (const call of arr(m?.['tool_calls'])) {
    const c = rec(call);
    const fn = rec(c?.['function']);
    parts.push(toolCallPart(c?.['id'], fn?.['name'], fn?.['arguments']));
  }
  return { role, parts };
}

function outputMessage(choice: unknown): ChatMessage {
  const c = rec(choice);
  const message = inputMessage(c?.['message'], 'assistant');
  const finish = str(c?.['finish_reason']);
  return finish ? { ...message, finish_reason: finish } : message;
}

/** One choice of a streamed completion, assembled from its deltas. */
interface StreamedChoice {
  text: string;
  finishReason?: string;
  toolCalls: Map<number, { id?: unknown; name?: unknown; arguments: string }>;
}

function streamAccumulator(capture: boolean): StreamAccumulator {
  let id: string | undefined;
  let model: string | undefined;
  let reported: unknown;
  const choices = new Map<number, StreamedChoice>();
  return {
    add(event) {
      const chunk = rec(event);
      if (chunk === undefined) return;
      id ??= str(chunk['id']);
      model = str(chunk['model']) ?? model;
      // Only with `stream_options: { include_usage: true }`: a last chunk with no choices carries the usage.
      if (rec(chunk['usage'])) reported = chunk['usage'];
      for (const item of arr(chunk['choices'])) {
        const c = rec(item);
        const index = num(c?.['index']) ?? 0;
        let choice = choices.get(index);
        if (!choice) choices.set(index, (choice = { text: '', toolCalls: new Map() }));
        choice.finishReason = str(c?.['finish_reason']) ?? choice.finishReason;
        if (!capture) continue;
        const delta = rec(c?.['delta']);
        choice.text = appendBounded(choice.text, delta?.['content']);
        for (const call of arr(delta?.['tool_calls'])) {
          const d = rec(call);
          const callIndex = num(d?.['index']) ?? 0;
          const fn = rec(d?.['function']);
          const acc = choice.toolCalls.get(callIndex) ?? { arguments: '' };
          acc.id ??= d?.['id'];
          acc.name ??= fn?.['name'];
          acc.arguments = appendBounded(acc.arguments, fn?.['arguments']);
          choice.toolCalls.set(callIndex, acc);
        }
      }
    },
    result() {
      const ordered = [...choices.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
      const finishReasons = ordered.map((c) => c.finishReason).filter((r): r is string => r !== undefined);
      const result: LlmResult = { responseModel: model, responseId: id, ...usage(reported), finishReasons };
      if (capture) {
        result.outputMessages = ordered.map((c): ChatMessage => {
          const parts: Part[] = c.text ? [textPart(c.text)] : [];
          for (const call of c.toolCalls.values()) parts.push(toolCallPart(call.id, call.name, call.arguments));
          return c.finishReason ? { role: 'assistant', parts, finish_reason: c.finishReason } : { role: 'assistant', parts };
        });
      }
      return result;
    },
  };
}

/** Chat Completions request and response shapes. */
export const openAIAdapter: ProviderAdapter = {
  request(params, capture) {
    return {
      provider: PROVIDER,
      model: str(params['model']),
      temperature: num(params['temperature']),
      maxTokens: num(params['max_completion_tokens']) ?? num(params['max_tokens']),
      topP: num(params['top_p']),
      inputMessages: capture ? arr(params['messages']).map((m) => inputMessage(m)) : undefined,
    };
  },
  response(data, capture) {
    const r = rec(data);
    if (r === undefined) return {};
    const choices = arr(r['choices']);
    return {
      responseModel: str(r['model']),
      responseId: str(r['id']),
      ...usage(r['usage']),
      finishReasons: choices.map((c) => str(rec(c)?.['finish_reason'])).filter((f): f is string => f !== undefined),
      outputMessages: capture ? choices.map(outputMessage) : undefined,
    };
  },
  stream: streamAccumulator,
};

/**
 * Instruments an `openai` client in place and returns it: every `client.chat.completions.create()`
 * call (and the SDK helpers built on it: `parse()`, `stream()`) becomes a `chat` span with provider
 * `openai`, request and response model, token usage (input including cached, cache reads, output
 * including reasoning), finish reasons, errors and — when `tracker` captures content — the input
 * and output messages. A streamed call's span ends when the stream has been read to the end (or
 * left early); usage of a stream is only reported when the request sets
 * `stream_options: { include_usage: true }`, which this wrapper does not add on its own since it
 * changes the chunks the caller receives. Calling it twice does not record calls twice; a client
 * without `chat.completions.create` is returned untouched. Never throws.
 */
export function instrumentOpenAI<C>(client: C, tracker?: AgentTracker): C {
  try {
    const completions = rec(rec(rec(client)?.['chat'])?.['completions']);
    wrapMethod(completions, 'create', coreOf(tracker), openAIAdapter);
  } catch {
    // Not an OpenAI client we can wrap: left as it is.
  }
  return client;
}
