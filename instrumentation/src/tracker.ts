import { context, INVALID_SPAN_CONTEXT, SpanKind, trace, type Attributes, type Context } from '@opentelemetry/api';
import { AGENTFLOW, GEN_AI, GEN_AI_OPERATION, GENERAL } from '@agentflow/schemas';
import { optionsOf, runAction, runLlm, runTool, type TrackerCore } from './actions.js';
import { extractFrom, injectInto, isContext } from './propagation.js';
import { runInSpan } from './run-in-span.js';
import { DEFAULT_TRACER_NAME, INSTRUMENTATION_VERSION } from './scope.js';
import { Session, sessionOf } from './session.js';
import { createGuardClient } from './guard.js';
import type { AgentSession, AgentTracker, AgentTrackerOptions, SessionOptions } from './types.js';
import { count, extraAttributes, put, text } from './values.js';

/** The cores of the trackers this package created, for the client wrappers. */
const cores = new WeakMap<object, TrackerCore>();
let defaultTracker: AgentTracker | undefined;

/** The core behind `tracker`; a default tracker's (no content capture) for anything else. */
export function coreOf(tracker: AgentTracker | undefined): TrackerCore {
  const core = typeof tracker === 'object' && tracker !== null ? cores.get(tracker) : undefined;
  if (core) return core;
  defaultTracker ??= createAgentTracker();
  return cores.get(defaultTracker)!;
}

/** The parent context of a session: the given context, an extracted carrier, or the active context. */
function sessionParent(parent: unknown): Context {
  if (parent === undefined || parent === null) return context.active();
  if (isContext(parent)) return parent;
  return extractFrom(parent);
}

function sessionAttributes(o: Partial<SessionOptions>): Attributes {
  const a: Attributes = extraAttributes(o.attributes);
  a[GEN_AI.OPERATION_NAME] = GEN_AI_OPERATION.INVOKE_AGENT;
  put(a, GEN_AI.AGENT_ID, text(o.agentId));
  put(a, GEN_AI.AGENT_NAME, text(o.agentName));
  put(a, GEN_AI.AGENT_DESCRIPTION, text(o.agentDescription));
  put(a, GEN_AI.AGENT_VERSION, text(o.agentVersion));
  put(a, GEN_AI.CONVERSATION_ID, text(o.conversationId));
  put(a, GEN_AI.WORKFLOW_NAME, text(o.workflowName));
  put(a, GENERAL.USER_ID, text(o.userId));
  put(a, AGENTFLOW.AGENT_TYPE, text(o.agentType));
  put(a, AGENTFLOW.GOAL, text(o.goal));
  put(a, AGENTFLOW.GOAL_TYPE, text(o.goalType));
  put(a, AGENTFLOW.TRIGGER, text(o.trigger));
  put(a, AGENTFLOW.TASK_ID, text(o.taskId));
  put(a, AGENTFLOW.AGENT_CAPACITY, count(o.capacity));
  return a;
}

/** Starts the session span; a session on a non-recording span when that fails. */
function startSession(core: TrackerCore, options: SessionOptions): Session {
  try {
    const o = optionsOf(options);
    const parent = sessionParent(o.parentContext);
    const attributes = sessionAttributes(o);
    const agentName = text(o.agentName);
    const operation = GEN_AI_OPERATION.INVOKE_AGENT;
    const name = agentName ? `${operation} ${agentName}` : operation;
    const span = core.tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes }, parent);
    return new Session(core, span, parent);
  } catch {
    return new Session(core, trace.wrapSpanContext(INVALID_SPAN_CONTEXT), context.active());
  }
}

/**
 * Creates the agent-side API. It needs only `@opentelemetry/api`: spans go to whatever tracer
 * provider is registered globally — {@link startAgentTelemetry}'s, or an application's own SDK —
 * and without one every call is a cheap no-op that still runs and returns the caller's functions.
 * No method throws because of telemetry or bad arguments; the caller's own errors pass through.
 */
export function createAgentTracker(options: AgentTrackerOptions = {}): AgentTracker {
  const o = optionsOf(options);
  const core: TrackerCore = {
    tracer: trace.getTracer(text(o.tracerName) ?? DEFAULT_TRACER_NAME, INSTRUMENTATION_VERSION),
    captureContent: o.captureContent === true,
    guard: o.guard ? createGuardClient(o.guard) : undefined,
    stopBeforeCalls: o.guard?.stopBeforeCalls === true,
  };
  const current = (): Session | undefined => {
    try {
      return sessionOf(context.active());
    } catch {
      return undefined;
    }
  };
  const tracker: AgentTracker = {
    captureContent: core.captureContent,
    runSession(sessionOptions, fn) {
      if (typeof fn !== 'function') return undefined as never;
      const session = startSession(core, sessionOptions);
      return runInSpan(session.span, session.context, () => fn(session));
    },
    currentSession: (): AgentSession | undefined => current(),
    llm: (llmOptions, fn) => runLlm(core, current(), llmOptions, fn),
    tool: (toolOptions, fn) => runTool(core, current(), toolOptions, fn),
    action: (type, name, fn, actionOptions) => runAction(core, current(), type, name, fn, actionOptions),
    injectContext: (carrier) => injectInto(carrier, context.active()),
    extractContext: (carrier) => extractFrom(carrier),
  };
  cores.set(tracker, core);
  return tracker;
}
