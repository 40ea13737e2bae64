/**
 * `generation` and `response` spans: one model call. The SDK records the request model, the
 * messages sent and the raw responses received; the response model and id, finish reasons and
 * token usage are read out of those responses as the OTel bridge does.
 */
import { GEN_AI, GEN_AI_OPERATION, type AttributeMap } from '@agentflow/schemas';
import type { JsonObject } from '../otlp/json-fields.js';
import { asObject, parsedPayload, payloadText, setString, setStringList, stringAt } from './item-fields.js';
import { writeCallUsage } from './usage.js';

/** The SDK's model classes call OpenAI (Chat Completions or Responses). */
const PROVIDER = 'openai';

/**
 * Writes a model call's GenAI attributes from its `span_data` and returns its span name,
 * `chat <model>` as the GenAI conventions name a chat call.
 */
export function writeModelCall(data: JsonObject, attributes: AttributeMap, path: string): string {
  const model = stringAt(data, 'model', path);
  attributes[GEN_AI.OPERATION_NAME] = GEN_AI_OPERATION.CHAT;
  attributes[GEN_AI.PROVIDER_NAME] = PROVIDER;
  setString(attributes, GEN_AI.REQUEST_MODEL, model);
  const response = firstResponse(parsedPayload(data['output']));
  setString(attributes, GEN_AI.RESPONSE_MODEL, textIn(response, 'model'));
  // A `response` span names its response; a `generation` span's id is the raw response's.
  setString(attributes, GEN_AI.RESPONSE_ID, stringAt(data, 'response_id', path) || (response ? textIn(response, 'id') : ''));
  const finishReasons = finishReasonsOf(response);
  if (finishReasons.length > 0) setStringList(attributes, GEN_AI.RESPONSE_FINISH_REASONS, finishReasons);
  writeCallUsage(attributes, [asObject(data['usage']), asObject(response?.['usage'])]);
  setString(attributes, GEN_AI.INPUT_MESSAGES, payloadText(data['input'], `${path}input`));
  setString(attributes, GEN_AI.OUTPUT_MESSAGES, payloadText(data['output'], `${path}output`));
  return model === '' ? GEN_AI_OPERATION.CHAT : `${GEN_AI_OPERATION.CHAT} ${model}`;
}

/**
 * The raw response in a call's output: an object that names its model (a Chat Completions
 * `chat.completion` or a Responses `response`), on its own or first in the output list. Output
 * items of other shapes (Responses output messages) carry no response metadata.
 */
function firstResponse(output: unknown): JsonObject | undefined {
  const candidates = Array.isArray(output) ? output : [output];
  for (const candidate of candidates) {
    const o = asObject(candidate);
    if (o !== undefined && typeof o['model'] === 'string') return o;
  }
  return undefined;
}

/** `finish_reason` of each Chat Completions choice, in choice order. */
function finishReasonsOf(response: JsonObject | undefined): string[] {
  const choices = response?.['choices'];
  if (!Array.isArray(choices)) return [];
  return choices.map((c) => textIn(asObject(c), 'finish_reason')).filter((r) => r !== '');
}

function textIn(o: JsonObject | undefined, key: string): string {
  const value = o?.[key];
  return typeof value === 'string' ? value : '';
}
