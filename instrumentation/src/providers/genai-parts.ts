import { MAX_CONTENT } from '../values.js';
import { arr, rec } from './shapes.js';

/**
 * Message parts in the shape of the GenAI conventions' `gen_ai.input.messages` /
 * `gen_ai.output.messages` (`{role, parts: [{type, …}], finish_reason?}`). Only built when content
 * is captured. Binary parts (images, documents, audio) are recorded by type alone: base64 payloads
 * would swamp the span.
 */
export type Part = Record<string, unknown>;

/** A chat message in the conventions' shape. */
export interface ChatMessage {
  role: string;
  parts: Part[];
  finish_reason?: string;
}

export function textPart(content: string): Part {
  return { type: 'text', content };
}

/** `arguments` as sent (a JSON string from OpenAI): parsed when it is JSON, else kept as text. */
export function parsedArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

export function toolCallPart(id: unknown, name: unknown, args: unknown): Part {
  return { type: 'tool_call', id, name, arguments: parsedArguments(args) };
}

export function toolResponsePart(id: unknown, response: unknown): Part {
  return { type: 'tool_call_response', id, response };
}

/** A part for one content block of either provider (`text`, `tool_use`, `tool_result`, `thinking`, or by type). */
export function blockPart(block: unknown): Part {
  if (typeof block === 'string') return textPart(block);
  const b = rec(block);
  const type = typeof b?.['type'] === 'string' ? (b['type'] as string) : 'unknown';
  switch (type) {
    case 'text':
      return textPart(String(b?.['text'] ?? ''));
    case 'tool_use':
      return toolCallPart(b?.['id'], b?.['name'], b?.['input']);
    case 'tool_result':
      return toolResponsePart(b?.['tool_use_id'], b?.['content']);
    case 'thinking':
      return { type: 'reasoning', content: b?.['thinking'] };
    default:
      return { type };
  }
}

/** Parts of a message's `content`: a string, or a list of blocks. */
export function contentParts(content: unknown): Part[] {
  if (typeof content === 'string') return [textPart(content)];
  return arr(content).map(blockPart);
}

/** Appends to a bounded text buffer (a long stream must not grow without limit). */
export function appendBounded(buffer: string, piece: unknown): string {
  return typeof piece === 'string' && buffer.length < MAX_CONTENT ? buffer + piece : buffer;
}
