import { GEN_AI, GEN_AI_LEGACY, type SpanEventRow, type SpanRow } from '@agentflow/schemas';
import { field, parseJson, str, stringList } from '../attribute-values.js';
import { unflatten } from '../flattened.js';
import { FAMILY, hasFamily } from '../attribute-families.js';

/** Captured prompt and completion of a GenAI span, in whichever generation of the conventions it came. */
export interface GenAiContent {
  input: string;
  output: string;
  /** Parsed output, for finding requested tool calls (undefined when none was captured); parsed on demand. */
  outputValue(): unknown;
  finishReasons: string[];
}

const INPUT_MESSAGE_EVENTS: ReadonlySet<string> = new Set([
  GEN_AI_LEGACY.SYSTEM_MESSAGE_EVENT,
  GEN_AI_LEGACY.USER_MESSAGE_EVENT,
  GEN_AI_LEGACY.ASSISTANT_MESSAGE_EVENT,
  GEN_AI_LEGACY.TOOL_MESSAGE_EVENT,
]);

/**
 * Content in order of preference:
 * 1. current conventions: `gen_ai.input.messages` / `gen_ai.output.messages` attributes;
 * 2. 2024 conventions: `gen_ai.content.prompt` / `gen_ai.content.completion` span events holding one
 *    JSON attribute each;
 * 3. OpenLLMetry's flattened `gen_ai.prompt.N.*` / `gen_ai.completion.N.*` attributes;
 * 4. 1.27–1.36 per-message events (`gen_ai.user.message`…, `gen_ai.choice`), their attributes
 *    collected into a list.
 */
export function readGenAiContent(row: SpanRow): GenAiContent {
  const attrs = row.attributes;
  // Flattened lists are rebuilt only when no better source holds the content: most spans never need them.
  let completionList: unknown[] | undefined;
  const flat = hasFamily(attrs, FAMILY.FLAT_CONTENT);
  const flatCompletion = (): unknown[] => (completionList ??= flat ? unflatten(attrs, GEN_AI_LEGACY.COMPLETION) : []);
  const input =
    str(attrs, GEN_AI.INPUT_MESSAGES) ||
    eventAttribute(row.events, GEN_AI_LEGACY.CONTENT_PROMPT_EVENT, GEN_AI_LEGACY.PROMPT) ||
    (flat ? jsonOrEmpty(unflatten(attrs, GEN_AI_LEGACY.PROMPT)) : '') ||
    jsonOrEmpty(eventsAsList(row.events, (name) => INPUT_MESSAGE_EVENTS.has(name)));
  const output =
    str(attrs, GEN_AI.OUTPUT_MESSAGES) ||
    eventAttribute(row.events, GEN_AI_LEGACY.CONTENT_COMPLETION_EVENT, GEN_AI_LEGACY.COMPLETION) ||
    jsonOrEmpty(flatCompletion()) ||
    jsonOrEmpty(eventsAsList(row.events, (name) => name === GEN_AI_LEGACY.CHOICE_EVENT));
  const outputValue = (): unknown => (!str(attrs, GEN_AI.OUTPUT_MESSAGES) && flatCompletion().length > 0 ? flatCompletion() : parseJson(output));
  let finishReasons = stringList(attrs, GEN_AI.RESPONSE_FINISH_REASONS);
  if (finishReasons.length === 0) {
    finishReasons = flatCompletion().map((c) => field(c as Record<string, unknown>, 'finish_reason')).filter((r) => r !== '');
  }
  return { input, output, outputValue, finishReasons };
}

/** The attribute `key` of the first event named `name`, or ''. */
function eventAttribute(events: readonly SpanEventRow[], name: string, key: string): string {
  for (const event of events) if (event.name === name && event.attributes[key]) return event.attributes[key]!;
  return '';
}

/** The attribute maps of the matching events, with the event name kept as `event`. */
function eventsAsList(events: readonly SpanEventRow[], match: (name: string) => boolean): Record<string, string>[] {
  return events.filter((e) => match(e.name)).map((e) => ({ event: e.name, ...e.attributes }));
}

function jsonOrEmpty(list: unknown[]): string {
  return list.length === 0 ? '' : JSON.stringify(list);
}
