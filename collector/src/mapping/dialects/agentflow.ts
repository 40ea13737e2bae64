import { AGENTFLOW, ATTRIBUTE_PREFIX, type AttributeMap, type SpanEventRow, type SpanRow } from '@agentflow/schemas';
import { count, num, parseJson, str } from '../attribute-values.js';
import { FAMILY, hasFamily } from '../attribute-families.js';
import type { AgentMessage, CanonicalSpan, Decision, SpanCategory, StateChange } from '../canonical-span.js';

/** `agentflow.action.type` values that name a canonical category (DESIGN §3 action types). */
const CATEGORY_BY_ACTION_TYPE: Readonly<Record<string, SpanCategory>> = {
  llm_call: 'llm',
  tool_call: 'tool',
  embedding: 'embedding',
  retrieval: 'retrieval',
  handoff: 'handoff',
  guardrail: 'guardrail',
};

/** True when the span carries any `agentflow.*` attribute or event (DESIGN §4). */
export function hasAgentflow(row: SpanRow): boolean {
  if (hasFamily(row.attributes, FAMILY.AGENTFLOW)) return true;
  return row.events.some((e) => e.name.startsWith(ATTRIBUTE_PREFIX.AGENTFLOW));
}

/**
 * agentflow's extensions, applied on top of whichever dialect read the span: session attributes
 * (agent type, goal, trigger, task id), the custom action type and retry attempt, and the state,
 * decision and message span events. `category` is what the dialect decided; an unclassified span
 * becomes an agent session when it declares an agent type, or the category its action type names.
 */
export function readAgentflow(row: SpanRow, category: SpanCategory): Partial<CanonicalSpan> {
  const attrs = row.attributes;
  const actionType = str(attrs, AGENTFLOW.ACTION_TYPE);
  const agentType = str(attrs, AGENTFLOW.AGENT_TYPE);
  let classified = category;
  if (classified === 'other' && agentType !== '') classified = 'agent';
  else if (classified === 'other' && Object.hasOwn(CATEGORY_BY_ACTION_TYPE, actionType)) classified = CATEGORY_BY_ACTION_TYPE[actionType]!;
  return {
    category: classified,
    agentType,
    goal: str(attrs, AGENTFLOW.GOAL),
    goalType: str(attrs, AGENTFLOW.GOAL_TYPE),
    trigger: str(attrs, AGENTFLOW.TRIGGER),
    taskId: str(attrs, AGENTFLOW.TASK_ID),
    actionType,
    retryAttempt: count(attrs, AGENTFLOW.RETRY_ATTEMPT) ?? 0,
    stateChanges: eventsNamed(row.events, AGENTFLOW.STATE_EVENT).map(stateChange),
    decisions: eventsNamed(row.events, AGENTFLOW.DECISION_EVENT).map(decision),
    messages: eventsNamed(row.events, AGENTFLOW.MESSAGE_EVENT).map(message),
  };
}

function eventsNamed(events: readonly SpanEventRow[], name: string): SpanEventRow[] {
  return events.filter((e) => e.name === name);
}

function stateChange(event: SpanEventRow): StateChange {
  const a = event.attributes;
  return {
    timeUnixNano: event.timeUnixNano,
    from: str(a, AGENTFLOW.STATE_FROM),
    to: str(a, AGENTFLOW.STATE_TO),
    reason: str(a, AGENTFLOW.STATE_REASON),
    transitionType: str(a, AGENTFLOW.STATE_TRANSITION_TYPE),
  };
}

function decision(event: SpanEventRow): Decision {
  const a = event.attributes;
  const confidence = num(a, AGENTFLOW.DECISION_CONFIDENCE);
  const chosenIndex = num(a, AGENTFLOW.DECISION_CHOSEN_INDEX);
  return {
    timeUnixNano: event.timeUnixNano,
    type: str(a, AGENTFLOW.DECISION_TYPE),
    question: str(a, AGENTFLOW.DECISION_QUESTION),
    options: options(a),
    chosen: str(a, AGENTFLOW.DECISION_CHOSEN),
    chosenIndex: chosenIndex !== null && Number.isInteger(chosenIndex) && chosenIndex >= 0 ? chosenIndex : -1,
    reasoning: str(a, AGENTFLOW.DECISION_REASONING),
    // A confidence outside 0–1 is a bad value, not a decision fact: dropped rather than clamped.
    confidence: confidence !== null && confidence >= 0 && confidence <= 1 ? confidence : null,
    method: str(a, AGENTFLOW.DECISION_METHOD),
  };
}

/** Options are an array attribute, stored as a JSON array; a single plain value is one option. */
function options(a: AttributeMap): string[] {
  const raw = str(a, AGENTFLOW.DECISION_OPTIONS);
  if (raw === '') return [];
  const parsed = parseJson(raw);
  if (Array.isArray(parsed)) return parsed.map((o) => (typeof o === 'string' ? o : JSON.stringify(o)));
  return [raw];
}

function message(event: SpanEventRow): AgentMessage {
  const a = event.attributes;
  return {
    timeUnixNano: event.timeUnixNano,
    type: str(a, AGENTFLOW.MESSAGE_TYPE),
    toAgent: str(a, AGENTFLOW.MESSAGE_TO_AGENT),
    requestId: str(a, AGENTFLOW.MESSAGE_REQUEST_ID),
    inResponseTo: str(a, AGENTFLOW.MESSAGE_IN_RESPONSE_TO),
    channel: str(a, AGENTFLOW.MESSAGE_CHANNEL),
  };
}
