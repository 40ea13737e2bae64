/**
 * A `trace` item: the run's workflow name, group id (the conversation: the SDK's docs call it
 * "a chat thread ID") and metadata. The SDK sends it once, when the trace starts; its attributes
 * go onto every span of that trace in the same request, as the bridge puts them on the trace's
 * root span, from where assembly hands them down to the sessions below.
 */
import { GEN_AI, OPENAI_AGENTS, type AttributeMap } from '@agentflow/schemas';
import type { JsonObject } from '../otlp/json-fields.js';
import { newAttributeMap } from '../otlp/value-format.js';
import { objectAt, requiredStringAt, scalarText, setString, stringAt } from './item-fields.js';

/** A trace item, read. */
export interface TraceItem {
  /** The SDK's trace id, as sent (`trace_<32 hex>`). */
  id: string;
  /** What every span of the trace carries: workflow name, conversation id, `openai.agents.metadata.*`. */
  attributes: AttributeMap;
}

/**
 * Reads a trace item. Metadata values become `openai.agents.metadata.<key>` (strings as is, other
 * values as JSON); the mapping finds the user among them (`user_id`).
 * @throws JsonShapeProblem when the id is missing or a field has the wrong type.
 */
export function readTraceItem(item: JsonObject): TraceItem {
  const id = requiredStringAt(item, 'id', '');
  const attributes = newAttributeMap();
  setString(attributes, OPENAI_AGENTS.WORKFLOW_NAME, stringAt(item, 'workflow_name', ''));
  setString(attributes, GEN_AI.CONVERSATION_ID, stringAt(item, 'group_id', ''));
  const metadata = objectAt(item, 'metadata', '');
  for (const key of Object.keys(metadata ?? {})) {
    const value = scalarText(metadata?.[key], `metadata.${key}`);
    if (value !== undefined) attributes[OPENAI_AGENTS.METADATA_PREFIX + key] = value;
  }
  return { id, attributes };
}
