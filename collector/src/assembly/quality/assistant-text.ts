/**
 * The assistant's answer in a captured output, whatever shape the emitter stored it in: plain
 * text; a GenAI `gen_ai.output.messages` array (`[{role, parts:[{type:'text', content}]}]`); an
 * OpenAI chat completion, OpenAI Responses or Anthropic message JSON; a LangChain LLMResult
 * (`{generations: [[{text, message}]]}`, OpenInference's `output.value`); a messages array with
 * string or `[{type:'text', text}]` content. A JSON value that is none of these is the answer
 * itself (the model was asked for JSON), returned as sent.
 */
export interface AssistantText {
  text: string;
  /** The output held only tool calls: the model acted instead of answering, so answer checks do not apply. */
  toolCallsOnly: boolean;
  /** The answer is itself valid JSON (already parsed here: the checks need not parse it again). */
  validJson: boolean;
}

/** Reads the answer out of a captured output (see {@link AssistantText}). Never throws. */
export function assistantText(output: string): AssistantText {
  const trimmed = output.trim();
  const first = trimmed[0];
  if (first !== '{' && first !== '[') return { text: output, toolCallsOnly: false, validJson: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { text: output, toolCallsOnly: false, validJson: false };
  }
  const found = { texts: [] as string[], toolCalls: 0, messages: 0 };
  collectMessages(parsed, found);
  if (found.messages === 0) return { text: output, toolCallsOnly: false, validJson: true };
  const text = found.texts.join('\n');
  return { text, toolCallsOnly: text.trim() === '' && found.toolCalls > 0, validJson: false };
}

interface Found { texts: string[]; toolCalls: number; messages: number }

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Walks the known envelopes down to messages; only assistant (or role-less) messages count. */
function collectMessages(value: unknown, found: Found): void {
  if (Array.isArray(value)) {
    // A messages array: every element must look like a message, or this is the answer's own JSON.
    if (value.length === 0 || !value.every(isMessage)) return;
    for (const m of value) collectMessage(m as Json, found);
    return;
  }
  if (!isObject(value)) return;
  if (Array.isArray(value.choices)) { // OpenAI chat completion
    for (const c of value.choices) if (isObject(c) && isObject(c.message)) collectMessage(c.message, found);
    return;
  }
  if (Array.isArray(value.generations)) { // LangChain LLMResult (OpenInference output.value): [[{text, message}]]
    for (const generation of value.generations.flat()) if (isObject(generation)) collectGeneration(generation, found);
    return;
  }
  if (Array.isArray(value.output) && value.object === 'response') { // OpenAI Responses
    collectMessages(value.output.filter((o) => isObject(o) && (o.type === 'message' || o.type === 'function_call')), found);
    return;
  }
  if (isMessage(value)) collectMessage(value, found); // Anthropic message, a single message
}

function isMessage(v: unknown): boolean {
  if (!isObject(v)) return false;
  if (v.type === 'function_call') return true;
  return typeof v.role === 'string' && ('content' in v || 'parts' in v || 'tool_calls' in v);
}

function collectGeneration(g: Json, found: Found): void {
  found.messages += 1;
  if (typeof g.text === 'string') found.texts.push(g.text);
  // The serialised AIMessage: {lc, type: 'constructor', kwargs: {content, tool_calls}}.
  const kwargs = isObject(g.message) && isObject(g.message.kwargs) ? g.message.kwargs : undefined;
  if (kwargs && Array.isArray(kwargs.tool_calls)) found.toolCalls += kwargs.tool_calls.length;
  if (isObject(g.generationInfo) && isToolFinish(g.generationInfo.finish_reason)) found.toolCalls += 1;
}

/** A finish reason saying the model stopped to call tools (OpenAI, GenAI, Anthropic spellings). */
function isToolFinish(reason: unknown): boolean {
  return reason === 'tool_calls' || reason === 'tool_call' || reason === 'tool_use' || reason === 'function_call';
}

function collectMessage(m: Json, found: Found): void {
  if (m.type === 'function_call') {
    found.messages += 1;
    found.toolCalls += 1;
    return;
  }
  const role = m.role;
  if (typeof role === 'string' && role !== 'assistant' && role !== 'model') return;
  found.messages += 1;
  if (Array.isArray(m.tool_calls)) found.toolCalls += m.tool_calls.length;
  // GenAI output messages whose tool call parts were not captured still say why they stopped.
  if (isToolFinish(m.finish_reason)) found.toolCalls += 1;
  collectContent(m.content, found);
  collectContent(m.parts, found);
}

function collectContent(content: unknown, found: Found): void {
  if (typeof content === 'string') {
    found.texts.push(content);
    return;
  }
  if (!Array.isArray(content)) return;
  for (const part of content) {
    if (typeof part === 'string') found.texts.push(part);
    else if (!isObject(part)) continue;
    else if (part.type === 'tool_call' || part.type === 'tool_use' || part.type === 'function_call' || part.type === 'tool-call') found.toolCalls += 1;
    else if (part.type === 'text' || part.type === 'output_text' || part.type === undefined) {
      const text = typeof part.content === 'string' ? part.content : part.text;
      if (typeof text === 'string') found.texts.push(text);
    }
  }
}
