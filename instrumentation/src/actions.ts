import {
  context, INVALID_SPAN_CONTEXT, SpanKind, trace, type Attributes, type Context, type Span, type Tracer,
} from '@opentelemetry/api';
import { AGENTFLOW, GEN_AI, GEN_AI_OPERATION } from '@agentflow/schemas';
import type { GuardClient } from './guard.js';
import { quietly, runInSpan } from './run-in-span.js';
import type {
  ActionHandle, ActionOptions, LlmCall, LlmOptions, LlmResult, ToolCall, ToolOptions,
} from './types.js';
import { count, extraAttributes, finite, json, put, text, textList } from './values.js';

/** What the action runners need from a tracker. */
export interface TrackerCore {
  readonly tracer: Tracer;
  readonly captureContent: boolean;
  /** The guard client, when the tracker was given guard options. */
  readonly guard?: GuardClient | undefined;
  /** Stop LLM and tool calls of a session whose last verdict was `stop`. */
  readonly stopBeforeCalls?: boolean;
}

/** What an action needs from the session it belongs to (absent for an action outside any session). */
export interface SessionLink {
  /** The context to start the action in: the active one when it is inside this session, else the session's. */
  actionParent(): Context;
  /** The retry mark left by `retry()`, cleared by taking it. */
  takeRetry(): number | undefined;
}

/** A span that was started, the context it is active in, and the handle given to the caller. */
export interface Started<H> {
  span: Span;
  ctx: Context;
  handle: H;
}

/** Operations a model call may declare; anything else is recorded as `chat`. */
const MODEL_OPERATIONS: ReadonlySet<string> = new Set([
  GEN_AI_OPERATION.CHAT, GEN_AI_OPERATION.TEXT_COMPLETION, GEN_AI_OPERATION.GENERATE_CONTENT, GEN_AI_OPERATION.EMBEDDINGS,
]);

/** `value` as an options object: anything else reads as no options. */
export function optionsOf<T extends object>(value: T | null | undefined): Partial<T> {
  return typeof value === 'object' && value !== null ? value : {};
}

/** A span that records nothing, for when starting the real one failed. */
function noopSpan(): Span {
  return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
}

/** Runs `start`; when it throws, a non-recording span in the active context with `handle(noop)`. */
export function startSafely<H>(start: () => Started<H>, handle: (span: Span) => H): Started<H> {
  try {
    return start();
  } catch {
    const span = noopSpan();
    return { span, ctx: context.active(), handle: handle(span) };
  }
}

function parentOf(owner: SessionLink | undefined): Context {
  return owner ? owner.actionParent() : context.active();
}

/** The explicit attempt, else the session's pending retry mark (taken either way). */
function retryAttempt(owner: SessionLink | undefined, explicit: unknown): number | undefined {
  const pending = owner?.takeRetry();
  return count(explicit) ?? pending;
}

function startSpan(core: TrackerCore, name: string, kind: SpanKind, attributes: Attributes, parent: Context): { span: Span; ctx: Context } {
  const span = core.tracer.startSpan(name, { kind, attributes }, parent);
  return { span, ctx: trace.setSpan(parent, span) };
}

/** The `report` of an LLM call handle: response attributes onto `span`. */
function reportLlm(core: TrackerCore, span: Span, result: LlmResult): void {
  quietly(() => {
    const r = optionsOf(result);
    const a: Attributes = {};
    put(a, GEN_AI.RESPONSE_MODEL, text(r.responseModel));
    put(a, GEN_AI.RESPONSE_ID, text(r.responseId));
    put(a, GEN_AI.USAGE_INPUT_TOKENS, count(r.inputTokens));
    put(a, GEN_AI.USAGE_OUTPUT_TOKENS, count(r.outputTokens));
    put(a, GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS, count(r.cacheReadTokens));
    put(a, GEN_AI.USAGE_CACHE_CREATION_INPUT_TOKENS, count(r.cacheWriteTokens));
    put(a, GEN_AI.USAGE_REASONING_OUTPUT_TOKENS, count(r.reasoningTokens));
    put(a, GEN_AI.RESPONSE_FINISH_REASONS, textList(r.finishReasons));
    const cost = finite(r.costUsd);
    put(a, GEN_AI.USAGE_COST, cost !== undefined && cost >= 0 ? cost : undefined);
    if (core.captureContent) put(a, GEN_AI.OUTPUT_MESSAGES, json(r.outputMessages));
    span.setAttributes(a);
  });
}

function llmHandle(core: TrackerCore, span: Span): LlmCall {
  return { span, report: (result) => reportLlm(core, span, result) };
}

/** Starts a model-call span (`{operation} {model}`, kind CLIENT) under the owner's context. */
export function startLlm(core: TrackerCore, owner: SessionLink | undefined, options: LlmOptions): Started<LlmCall> {
  return startSafely(() => {
    const o = optionsOf(options);
    const requested = text(o.operation);
    const operation = requested !== undefined && MODEL_OPERATIONS.has(requested) ? requested : GEN_AI_OPERATION.CHAT;
    const model = text(o.model);
    const a: Attributes = extraAttributes(o.attributes);
    a[GEN_AI.OPERATION_NAME] = operation;
    put(a, GEN_AI.PROVIDER_NAME, text(o.provider));
    put(a, GEN_AI.REQUEST_MODEL, model);
    put(a, GEN_AI.REQUEST_TEMPERATURE, finite(o.temperature));
    put(a, GEN_AI.REQUEST_MAX_TOKENS, count(o.maxTokens));
    put(a, GEN_AI.REQUEST_TOP_P, finite(o.topP));
    put(a, AGENTFLOW.RETRY_ATTEMPT, retryAttempt(owner, o.retryAttempt));
    if (core.captureContent) {
      put(a, GEN_AI.INPUT_MESSAGES, json(o.inputMessages));
      put(a, GEN_AI.SYSTEM_INSTRUCTIONS, json(o.systemInstructions));
    }
    const { span, ctx } = startSpan(core, model ? `${operation} ${model}` : operation, SpanKind.CLIENT, a, parentOf(owner));
    return { span, ctx, handle: llmHandle(core, span) };
  }, (span) => llmHandle(core, span));
}

/** Runs `fn` inside a model-call span. */
export function runLlm<T>(core: TrackerCore, owner: SessionLink | undefined, options: LlmOptions, fn: (call: LlmCall) => T): T {
  if (typeof fn !== 'function') return undefined as T;
  const { span, ctx, handle } = startLlm(core, owner, options);
  return runInSpan(span, ctx, () => fn(handle));
}

/** Runs `fn` inside an `execute_tool {name}` span; with content capture, the result is `fn`'s value unless set. */
export function runTool<T>(core: TrackerCore, owner: SessionLink | undefined, options: ToolOptions, fn: (call: ToolCall) => T): T {
  if (typeof fn !== 'function') return undefined as T;
  let resultSet = false;
  const handleFor = (span: Span): ToolCall => ({
    span,
    result(value: unknown): void {
      resultSet = true;
      if (core.captureContent) quietly(() => setIfDefined(span, GEN_AI.TOOL_CALL_RESULT, json(value)));
    },
  });
  const { span, ctx, handle } = startSafely(() => {
    const o = optionsOf(options);
    const name = text(o.name);
    const a: Attributes = extraAttributes(o.attributes);
    a[GEN_AI.OPERATION_NAME] = GEN_AI_OPERATION.EXECUTE_TOOL;
    put(a, GEN_AI.TOOL_NAME, name);
    put(a, GEN_AI.TOOL_CALL_ID, text(o.callId));
    put(a, GEN_AI.TOOL_TYPE, text(o.type));
    put(a, GEN_AI.TOOL_DESCRIPTION, text(o.description));
    put(a, AGENTFLOW.RETRY_ATTEMPT, retryAttempt(owner, o.retryAttempt));
    if (core.captureContent) put(a, GEN_AI.TOOL_CALL_ARGUMENTS, json(o.args));
    const operation = GEN_AI_OPERATION.EXECUTE_TOOL;
    const started = startSpan(core, name ? `${operation} ${name}` : operation, SpanKind.INTERNAL, a, parentOf(owner));
    // Explicit fields: an object spread here was the tracker's hottest line (~8% of an action).
    return { span: started.span, ctx: started.ctx, handle: handleFor(started.span) };
  }, handleFor);
  return runInSpan(span, ctx, () => fn(handle), {
    success(value) {
      if (core.captureContent && !resultSet) setIfDefined(span, GEN_AI.TOOL_CALL_RESULT, json(value));
    },
  });
}

/** Runs `fn` inside a custom action span named `name`, with `agentflow.action.type` = `type`. */
export function runAction<T>(
  core: TrackerCore, owner: SessionLink | undefined, type: string, name: string, fn: (action: ActionHandle) => T, options?: ActionOptions,
): T {
  if (typeof fn !== 'function') return undefined as T;
  const handleFor = (span: Span): ActionHandle => ({
    span,
    setAttributes: (attributes) => quietly(() => span.setAttributes(extraAttributes(attributes))),
  });
  const { span, ctx, handle } = startSafely(() => {
    const o = optionsOf(options);
    const actionType = text(type) ?? 'other';
    const a: Attributes = extraAttributes(o.attributes);
    a[AGENTFLOW.ACTION_TYPE] = actionType;
    put(a, AGENTFLOW.RETRY_ATTEMPT, retryAttempt(owner, o.retryAttempt));
    const started = startSpan(core, text(name) ?? actionType, SpanKind.INTERNAL, a, parentOf(owner));
    // Explicit fields: an object spread here was the tracker's hottest line (~8% of an action).
    return { span: started.span, ctx: started.ctx, handle: handleFor(started.span) };
  }, handleFor);
  return runInSpan(span, ctx, () => fn(handle));
}

/** Sets one attribute when the value is defined. */
function setIfDefined(span: Span, key: string, value: string | undefined): void {
  if (value !== undefined) span.setAttribute(key, value);
}
