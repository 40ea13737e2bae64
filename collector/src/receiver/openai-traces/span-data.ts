/**
 * A span's `span_data` as the attributes, name and kind the OTel bridge gives it: GenAI keys where
 * the conventions have one (agent name, tool name, arguments and result, model call), the SDK's
 * own fields under `openai.agents.*`. The span type always lands in `openai.agents.span.type`,
 * which is what the mapping's openai-agents dialect classifies by.
 */
import {
  GEN_AI, GEN_AI_OPERATION, OPENAI_AGENTS, OPENAI_AGENTS_SPAN_TYPE, type AttributeMap, type SpanKindName,
} from '@agentflow/schemas';
import type { JsonObject } from '../otlp/json-fields.js';
import {
  asObject, numberIn, payloadText, requiredStringAt, setNumber, setString, setStringList, stringAt, stringListAt,
} from './item-fields.js';
import { writeModelCall } from './model-call.js';

/** What a span's data says about the span besides its attributes. */
export interface SpanShape {
  name: string;
  kind: SpanKindName;
}

/** `gen_ai.tool.type` of a function tool. */
const FUNCTION_TOOL = 'function';

/** Writes the attributes of `span_data` (at `path`) and returns the span's name and kind. */
export function readSpanData(data: JsonObject, attributes: AttributeMap, path: string): SpanShape {
  const type = requiredStringAt(data, 'type', path);
  attributes[OPENAI_AGENTS.SPAN_TYPE] = type;
  switch (type) {
    case OPENAI_AGENTS_SPAN_TYPE.GENERATION:
    case OPENAI_AGENTS_SPAN_TYPE.RESPONSE:
      return { name: writeModelCall(data, attributes, path), kind: 'Client' };
    case OPENAI_AGENTS_SPAN_TYPE.AGENT:
      return internal(readAgent(data, attributes, path));
    case OPENAI_AGENTS_SPAN_TYPE.FUNCTION:
      return internal(readFunction(data, attributes, path));
    case OPENAI_AGENTS_SPAN_TYPE.HANDOFF:
      return internal(readHandoff(data, attributes, path));
    case OPENAI_AGENTS_SPAN_TYPE.GUARDRAIL:
      return internal(readGuardrail(data, attributes, path));
    case OPENAI_AGENTS_SPAN_TYPE.CUSTOM:
      return internal(readCustom(data, attributes, path));
    default:
      // transcription, speech, speech_group, mcp_tools and types to come: the type says enough.
      return internal(type);
  }
}

function internal(name: string): SpanShape {
  return { name, kind: 'Internal' };
}

function readAgent(data: JsonObject, attributes: AttributeMap, path: string): string {
  const name = stringAt(data, 'name', path);
  attributes[GEN_AI.OPERATION_NAME] = GEN_AI_OPERATION.INVOKE_AGENT;
  setString(attributes, GEN_AI.AGENT_NAME, name);
  setStringList(attributes, OPENAI_AGENTS.AGENT_TOOLS, stringListAt(data, 'tools', path));
  setStringList(attributes, OPENAI_AGENTS.AGENT_HANDOFFS, stringListAt(data, 'handoffs', path));
  setString(attributes, OPENAI_AGENTS.AGENT_OUTPUT_TYPE, stringAt(data, 'output_type', path));
  return withSubject(GEN_AI_OPERATION.INVOKE_AGENT, name);
}

/**
 * A function tool's run. Its call id is not in the span (the SDK leaves it out); assembly finds it
 * in the model call that asked for the tool, by name and arguments.
 */
function readFunction(data: JsonObject, attributes: AttributeMap, path: string): string {
  const name = stringAt(data, 'name', path);
  attributes[GEN_AI.OPERATION_NAME] = GEN_AI_OPERATION.EXECUTE_TOOL;
  setString(attributes, GEN_AI.TOOL_NAME, name);
  attributes[GEN_AI.TOOL_TYPE] = FUNCTION_TOOL;
  setString(attributes, GEN_AI.TOOL_CALL_ARGUMENTS, payloadText(data['input'], `${path}input`));
  setString(attributes, GEN_AI.TOOL_CALL_RESULT, payloadText(data['output'], `${path}output`));
  return withSubject(GEN_AI_OPERATION.EXECUTE_TOOL, name);
}

function readHandoff(data: JsonObject, attributes: AttributeMap, path: string): string {
  const from = stringAt(data, 'from_agent', path);
  const to = stringAt(data, 'to_agent', path);
  setString(attributes, OPENAI_AGENTS.HANDOFF_FROM_AGENT, from);
  setString(attributes, OPENAI_AGENTS.HANDOFF_TO_AGENT, to);
  return `${OPENAI_AGENTS_SPAN_TYPE.HANDOFF} ${from || '?'} -> ${to || '?'}`;
}

function readGuardrail(data: JsonObject, attributes: AttributeMap, path: string): string {
  const triggered = data['triggered'];
  if (typeof triggered === 'boolean') attributes[OPENAI_AGENTS.GUARDRAIL_TRIGGERED] = triggered ? 'true' : 'false';
  return withSubject(OPENAI_AGENTS_SPAN_TYPE.GUARDRAIL, stringAt(data, 'name', path));
}

/**
 * A custom span. The SDK's own run (`task`) and agent-turn (`turn`) spans travel as custom spans
 * marked by `data.sdk_span_type`; they carry the run's or turn's summed usage, kept under
 * `openai.agents.usage.*` (never `gen_ai.usage.*`: it repeats the calls' usage). Any other custom
 * span keeps its data as JSON.
 */
function readCustom(data: JsonObject, attributes: AttributeMap, path: string): string {
  const name = stringAt(data, 'name', path);
  const custom = asObject(data['data']);
  const sdkType = typeof custom?.['sdk_span_type'] === 'string' ? custom['sdk_span_type'] : '';
  if (custom === undefined || sdkType === '') {
    if (custom !== undefined && Object.keys(custom).length > 0) attributes[OPENAI_AGENTS.CUSTOM_DATA] = payloadText(custom, `${path}data`);
    return name || OPENAI_AGENTS_SPAN_TYPE.CUSTOM;
  }
  attributes[OPENAI_AGENTS.SPAN_TYPE] = sdkType;
  writeRunUsage(asObject(custom['usage']), attributes);
  if (sdkType === OPENAI_AGENTS_SPAN_TYPE.TURN) {
    const turn = numberIn(custom, 'turn');
    setNumber(attributes, OPENAI_AGENTS.TURN, turn);
    setString(attributes, GEN_AI.AGENT_NAME, typeof custom['agent_name'] === 'string' ? custom['agent_name'] : '');
    return turn === undefined ? sdkType : `${sdkType} ${turn}`;
  }
  return withSubject(sdkType, typeof custom['name'] === 'string' ? custom['name'] : '');
}

/** Every numeric field of a run's or turn's usage, as `openai.agents.usage.<field>`. */
function writeRunUsage(usage: JsonObject | undefined, attributes: AttributeMap): void {
  if (usage === undefined) return;
  for (const key of Object.keys(usage)) setNumber(attributes, OPENAI_AGENTS.USAGE_PREFIX + key, numberIn(usage, key));
}

/** `<operation> <subject>`, or the operation alone when the subject is unnamed. */
function withSubject(operation: string, subject: string): string {
  return subject === '' ? operation : `${operation} ${subject}`;
}
