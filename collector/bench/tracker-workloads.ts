import { ROOT_CONTEXT, SpanKind, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { AgentSession, AgentTracker } from '@agentflow/instrumentation';
import { AGENTFLOW, GEN_AI, GEN_AI_OPERATION } from '@agentflow/schemas';

/**
 * The same agent work written twice: through the tracker, and as bare `@opentelemetry/api` spans
 * carrying exactly the attributes and events the tracker records (content capture off, its
 * default). The bare version is what a careful hand-instrumented agent would do; the difference is
 * the tracker's overhead (argument checks, coercion, session bookkeeping, error guards).
 */

// Values are precomputed once: the bare side pays only for the spans themselves.
const SESSION = {
  agentId: 'planner-1', agentName: 'planner', agentType: 'planning', goal: 'Plan a trip to Lisbon', workflowName: 'trip-planning-v1',
  conversationId: 'conv-1', trigger: 'user_message',
};
const SESSION_ATTRS: Attributes = {
  [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.INVOKE_AGENT, [GEN_AI.AGENT_ID]: SESSION.agentId, [GEN_AI.AGENT_NAME]: SESSION.agentName,
  [GEN_AI.CONVERSATION_ID]: SESSION.conversationId, [GEN_AI.WORKFLOW_NAME]: SESSION.workflowName, [AGENTFLOW.AGENT_TYPE]: SESSION.agentType,
  [AGENTFLOW.GOAL]: SESSION.goal, [AGENTFLOW.TRIGGER]: SESSION.trigger,
};
const DECISION = {
  type: 'strategy', question: 'How to split the work?', options: ['one agent', 'specialists in parallel', 'specialists in sequence'],
  chosen: 'specialists in parallel', reasoning: 'independent sub-tasks', confidence: 0.8, method: 'llm',
};
const DECISION_ATTRS: Attributes = {
  [AGENTFLOW.DECISION_TYPE]: DECISION.type, [AGENTFLOW.DECISION_QUESTION]: DECISION.question, [AGENTFLOW.DECISION_OPTIONS]: DECISION.options,
  [AGENTFLOW.DECISION_CHOSEN]: DECISION.chosen, [AGENTFLOW.DECISION_CHOSEN_INDEX]: 1, [AGENTFLOW.DECISION_REASONING]: DECISION.reasoning,
  [AGENTFLOW.DECISION_CONFIDENCE]: DECISION.confidence, [AGENTFLOW.DECISION_METHOD]: DECISION.method,
};
const MESSAGE = { toAgent: 'flight-agent', type: 'request', requestId: 'req-1', channel: 'in-process' };
const MESSAGE_ATTRS: Attributes = {
  [AGENTFLOW.MESSAGE_TO_AGENT]: MESSAGE.toAgent, [AGENTFLOW.MESSAGE_TYPE]: MESSAGE.type, [AGENTFLOW.MESSAGE_REQUEST_ID]: MESSAGE.requestId,
  [AGENTFLOW.MESSAGE_CHANNEL]: MESSAGE.channel,
};
const LLM = { model: 'gpt-4o-mini', provider: 'openai', temperature: 0.2, maxTokens: 1024 };
const LLM_ATTRS: Attributes = {
  [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.CHAT, [GEN_AI.PROVIDER_NAME]: LLM.provider, [GEN_AI.REQUEST_MODEL]: LLM.model,
  [GEN_AI.REQUEST_TEMPERATURE]: LLM.temperature, [GEN_AI.REQUEST_MAX_TOKENS]: LLM.maxTokens,
};
const RESULT = { responseModel: 'gpt-4o-mini-2024-07-18', responseId: 'chatcmpl-1', inputTokens: 812, outputTokens: 64, finishReasons: ['stop'] };
const RESULT_ATTRS: Attributes = {
  [GEN_AI.RESPONSE_MODEL]: RESULT.responseModel, [GEN_AI.RESPONSE_ID]: RESULT.responseId, [GEN_AI.USAGE_INPUT_TOKENS]: RESULT.inputTokens,
  [GEN_AI.USAGE_OUTPUT_TOKENS]: RESULT.outputTokens, [GEN_AI.RESPONSE_FINISH_REASONS]: RESULT.finishReasons,
};
const TOOL = { name: 'search_flights', callId: 'call_1', type: 'function' };
const TOOL_ATTRS: Attributes = {
  [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.EXECUTE_TOOL, [GEN_AI.TOOL_NAME]: TOOL.name, [GEN_AI.TOOL_CALL_ID]: TOOL.callId, [GEN_AI.TOOL_TYPE]: TOOL.type,
};
const LLM_SPAN = `${GEN_AI_OPERATION.CHAT} ${LLM.model}`;
const TOOL_SPAN = `${GEN_AI_OPERATION.EXECUTE_TOOL} ${TOOL.name}`;
const SESSION_SPAN = `${GEN_AI_OPERATION.INVOKE_AGENT} ${SESSION.agentName}`;

/** One LLM call and one tool call, each with a synchronous body. */
export interface ActionPair {
  sync(): void;
  /** The same with async bodies (a resolved promise each), awaited in turn. */
  async(): Promise<void>;
}

/** Actions inside an open session of the tracker. */
export function trackerActions(session: AgentSession): ActionPair {
  return {
    sync() {
      session.llm(LLM, (call) => call.report(RESULT));
      session.tool(TOOL, () => 42);
    },
    async async() {
      await session.llm(LLM, async (call) => call.report(RESULT));
      await session.tool(TOOL, async () => 42);
    },
  };
}

/** The same actions as bare spans under `parent`. */
export function bareActions(tracer: Tracer, parent: Context): ActionPair {
  const options = { llm: { kind: SpanKind.CLIENT, attributes: LLM_ATTRS }, tool: { kind: SpanKind.INTERNAL, attributes: TOOL_ATTRS } };
  return {
    sync() {
      tracer.startActiveSpan(LLM_SPAN, options.llm, parent, (span) => {
        span.setAttributes(RESULT_ATTRS);
        span.end();
      });
      tracer.startActiveSpan(TOOL_SPAN, options.tool, parent, (span) => {
        span.end();
        return 42;
      });
    },
    async async() {
      await tracer.startActiveSpan(LLM_SPAN, options.llm, parent, async (span) => {
        span.setAttributes(RESULT_ATTRS);
        span.end();
      });
      await tracer.startActiveSpan(TOOL_SPAN, options.tool, parent, async (span) => {
        span.end();
        return 42;
      });
    },
  };
}

/** A session span with two state changes, a decision and a message; `withActions` adds an LLM and a tool call (async). */
export interface SessionRun {
  events(): void;
  withActions(): Promise<void>;
}

export function trackerSessions(tracker: AgentTracker): SessionRun {
  const events = (s: AgentSession): void => {
    s.state('planning');
    s.decision(DECISION);
    s.message(MESSAGE);
    s.state('done');
  };
  return {
    events: () => tracker.runSession(SESSION, events),
    withActions: () => tracker.runSession(SESSION, async (s) => {
      s.state('planning');
      await trackerActions(s).async();
      s.state('done');
    }),
  };
}

export function bareSessions(tracer: Tracer): SessionRun {
  const start = <T>(fn: (span: Span) => T): T => tracer.startActiveSpan(SESSION_SPAN, { kind: SpanKind.INTERNAL, attributes: SESSION_ATTRS }, ROOT_CONTEXT, fn);
  return {
    events: () => start((span) => {
      span.addEvent(AGENTFLOW.STATE_EVENT, { [AGENTFLOW.STATE_TO]: 'planning' });
      span.addEvent(AGENTFLOW.DECISION_EVENT, DECISION_ATTRS);
      span.addEvent(AGENTFLOW.MESSAGE_EVENT, MESSAGE_ATTRS);
      span.addEvent(AGENTFLOW.STATE_EVENT, { [AGENTFLOW.STATE_TO]: 'done', [AGENTFLOW.STATE_FROM]: 'planning' });
      span.end();
    }),
    withActions: () => start(async (span) => {
      span.addEvent(AGENTFLOW.STATE_EVENT, { [AGENTFLOW.STATE_TO]: 'planning' });
      await bareActions(tracer, trace.setSpan(ROOT_CONTEXT, span)).async();
      span.addEvent(AGENTFLOW.STATE_EVENT, { [AGENTFLOW.STATE_TO]: 'done', [AGENTFLOW.STATE_FROM]: 'planning' });
      span.end();
    }),
  };
}

/** Opens a tracker session that stays open until `close` is called, for actions measured outside it. */
export function openTrackerSession(tracker: AgentTracker): { session: AgentSession; close(): Promise<void> } {
  let session: AgentSession | undefined;
  let close = (): void => undefined;
  const done = tracker.runSession(SESSION, (s) => {
    session = s;
    return new Promise<void>((resolve) => (close = resolve));
  });
  return { session: session!, close: () => (close(), done) };
}

/** Opens a bare session span; its context is the actions' parent. */
export function openBareSession(tracer: Tracer): { parent: Context; close(): void } {
  const span = tracer.startSpan(SESSION_SPAN, { kind: SpanKind.INTERNAL, attributes: SESSION_ATTRS }, ROOT_CONTEXT);
  return { parent: trace.setSpan(ROOT_CONTEXT, span), close: () => span.end() };
}
