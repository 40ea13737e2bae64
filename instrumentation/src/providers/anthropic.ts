import { coreOf } from '../tracker.js';
import type { AgentTracker, LlmResult } from '../types.js';
import { appendBounded, blockPart, contentParts, textPart, type ChatMessage, type Part } from './genai-parts.js';
import { arr, num, rec, str } from './shapes.js';
import { wrapMethod, type AnyFunction, type CallRoute, type ProviderAdapter, type StreamAccumulator } from './traced-call.js';

/** `gen_ai.provider.name` of the Anthropic API. */
const PROVIDER = 'anthropic';

/**
 * Messages usage: Anthropic's `input_tokens` counts only the uncached input, so the cache reads and
 * writes are added to make agentflow's input count (which includes them); they are also reported
 * on their own.
 */
function usage(value: unknown): LlmResult {
  const u = rec(value);
  if (u === undefined) return {};
  const input = num(u['input_tokens']);
  const cacheRead = num(u['cache_read_input_tokens']);
  const cacheWrite = num(u['cache_creation_input_tokens']);
  const anyInput = input !== undefined || cacheRead !== undefined || cacheWrite !== undefined;
  return {
    inputTokens: anyInput ? (input ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0) : undefined,
    outputTokens: num(u['output_tokens']),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: num(rec(u['output_tokens_details'])?.['thinking_tokens']),
  };
}

function inputMessage(message: unknown): ChatMessage {
  const m = rec(message);
  return { role: str(m?.['role']) ?? 'user', parts: contentParts(m?.['content']) };
}

function outputMessage(parts: Part[], stopReason: string | undefined): ChatMessage {
  return stopReason ? { role: 'assistant', parts, finish_reason: stopReason } : { role: 'assistant', parts };
}

/** A content block of a streamed message, assembled from its deltas. */
interface StreamedBlock {
  block: Record<string, unknown>;
  text: string;
  json: string;
}

function streamedPart({ block, text, json }: StreamedBlock): Part {
  switch (block['type']) {
    case 'text':
      return textPart(text);
    case 'thinking':
      return { type: 'reasoning', content: text };
    case 'tool_use':
      return blockPart({ ...block, input: json === '' ? block['input'] : parseOrText(json) });
    default:
      return blockPart(block);
  }
}

function parseOrText(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

function streamAccumulator(capture: boolean): StreamAccumulator {
  let id: string | undefined;
  let model: string | undefined;
  let stopReason: string | undefined;
  const reported: Record<string, unknown> = {};
  const blocks = new Map<number, StreamedBlock>();
  return {
    add(event) {
      const e = rec(event);
      switch (e?.['type']) {
        case 'message_start': {
          const message = rec(e['message']);
          id = str(message?.['id']);
          model = str(message?.['model']);
          Object.assign(reported, rec(message?.['usage']));
          break;
        }
        case 'message_delta': {
          stopReason = str(rec(e['delta'])?.['stop_reason']) ?? stopReason;
          // The delta's counts are cumulative: they replace the start's (output_tokens always, the rest when sent).
          for (const [key, value] of Object.entries(rec(e['usage']) ?? {})) {
            if (value !== null && value !== undefined) reported[key] = value;
          }
          break;
        }
        case 'content_block_start':
          if (capture) blocks.set(num(e['index']) ?? blocks.size, { block: rec(e['content_block']) ?? {}, text: '', json: '' });
          break;
        case 'content_block_delta': {
          const block = capture ? blocks.get(num(e['index']) ?? -1) : undefined;
          const delta = rec(e['delta']);
          if (block === undefined || delta === undefined) break;
          block.text = appendBounded(block.text, delta['text'] ?? delta['thinking']);
          block.json = appendBounded(block.json, delta['partial_json']);
          break;
        }
        default:
          break;
      }
    },
    result() {
      const result: LlmResult = { responseModel: model, responseId: id, ...usage(reported), finishReasons: stopReason ? [stopReason] : [] };
      if (capture) {
        const parts = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, b]) => streamedPart(b));
        result.outputMessages = [outputMessage(parts, stopReason)];
      }
      return result;
    },
  };
}

/** Messages API request and response shapes. */
export const anthropicAdapter: ProviderAdapter = {
  request(params, capture) {
    const system = params['system'];
    return {
      provider: PROVIDER,
      model: str(params['model']),
      temperature: num(params['temperature']),
      maxTokens: num(params['max_tokens']),
      topP: num(params['top_p']),
      inputMessages: capture ? arr(params['messages']).map(inputMessage) : undefined,
      systemInstructions: capture && system !== undefined ? contentParts(system) : undefined,
    };
  },
  response(data, capture) {
    const r = rec(data);
    if (r === undefined) return {};
    const stopReason = str(r['stop_reason']);
    return {
      responseModel: str(r['model']),
      responseId: str(r['id']),
      ...usage(r['usage']),
      finishReasons: stopReason ? [stopReason] : [],
      outputMessages: capture ? [outputMessage(arr(r['content']).map(blockPart), stopReason)] : undefined,
    };
  },
  stream: streamAccumulator,
};

/**
 * The `messages` resource of a copy of `client` whose own OpenTelemetry spans are off. Recent
 * `@anthropic-ai/sdk` versions emit a GenAI `chat` span per call themselves (`openTelemetry` client
 * option, on by default); next to this wrapper's span that would count every call twice. The copy
 * (`withOptions`, sharing credentials and settings) keeps trace-header propagation as configured.
 */
function untracedMessages(client: Record<string, unknown>): CallRoute | undefined {
  const settings = rec(client['openTelemetry']);
  const traces = rec(settings?.['traces']);
  const withOptions = client['withOptions'];
  if (traces?.['enabled'] !== true || typeof withOptions !== 'function') return undefined;
  const twin = rec((withOptions as AnyFunction).call(client, { openTelemetry: { ...settings, traces: { ...traces, enabled: false } } }));
  const messages = rec(twin?.['messages']);
  const create = messages?.['create'];
  return typeof create === 'function' ? { fn: create as AnyFunction, self: messages } : undefined;
}

/**
 * Instruments an `@anthropic-ai/sdk` client in place and returns it: every `client.messages.create()`
 * call (and the SDK helpers built on it: `stream()`, `parse()`) becomes a `chat` span with provider
 * `anthropic`, request and response model, token usage (input = `input_tokens` + cache reads + cache
 * writes; cache reads and writes also apart), the stop reason, errors and — when `tracker` captures
 * content — the system instructions and input and output messages. A streamed call's span ends when
 * the stream has been read to the end (or left early), with the usage of `message_start` and
 * `message_delta`. The SDK's own spans are turned off for these calls (see {@link untracedMessages}),
 * so each call is recorded once. A client made later with `client.withOptions()` is not instrumented.
 * Never throws.
 */
export function instrumentAnthropic<C>(client: C, tracker?: AgentTracker): C {
  try {
    const c = rec(client);
    if (c === undefined) return client;
    let route: CallRoute | undefined;
    try {
      route = untracedMessages(c);
    } catch {
      route = undefined;
    }
    wrapMethod(c['messages'], 'create', coreOf(tracker), anthropicAdapter, route);
  } catch {
    // Not an Anthropic client we can wrap: left as it is.
  }
  return client;
}
