import { context } from '@opentelemetry/api';
import { startLlm, type TrackerCore } from '../actions.js';
import { quietly, recordFailure } from '../run-in-span.js';
import { sessionOf } from '../session.js';
import type { LlmOptions, LlmResult } from '../types.js';
import { observeCall } from './observe-call.js';
import { rec } from './shapes.js';

/** Collects a streamed response's events into one result. */
export interface StreamAccumulator {
  add(event: unknown): void;
  result(): LlmResult;
}

/** How one provider's request and response shapes map onto a model-call span. */
export interface ProviderAdapter {
  /** The span's options from the request parameters (content only when `capture`). */
  request(params: Record<string, unknown>, capture: boolean): LlmOptions;
  /** What a whole response reports. */
  response(data: unknown, capture: boolean): LlmResult;
  /** A fresh accumulator for a streamed response. */
  stream(capture: boolean): StreamAccumulator;
}

export type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Methods already wrapped, so wrapping a client twice records each call once. */
const wrapped = new WeakSet<object>();

/**
 * Makes one SDK call inside a model-call span: starts the span (a child of the active context; the
 * retry mark of the active session, if any, is taken), calls `target` with the span active, and
 * ends it when the response arrives or its stream ends. Telemetry failures never reach the caller;
 * the SDK's own result and errors pass through unchanged.
 */
function tracedCall(core: TrackerCore, adapter: ProviderAdapter, target: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
  let started: ReturnType<typeof startLlm>;
  let streaming = false;
  let stream: StreamAccumulator | undefined;
  try {
    const params = rec(args[0]) ?? {};
    streaming = params['stream'] === true;
    started = startLlm(core, sessionOf(context.active()), adapter.request(params, core.captureContent));
    if (streaming) stream = adapter.stream(core.captureContent);
  } catch {
    return target.apply(thisArg, args);
  }
  const { span, ctx, handle } = started;
  let ended = false;
  let result: unknown;
  try {
    result = context.with(ctx, () => target.apply(thisArg, args));
  } catch (error) {
    recordFailure(span, error);
    quietly(() => span.end());
    throw error;
  }
  return observeCall(result, streaming, {
    response(data) {
      if (!ended) quietly(() => handle.report(adapter.response(data, core.captureContent)));
    },
    chunk(event) {
      if (!ended) quietly(() => stream?.add(event));
    },
    end(error) {
      if (ended) return;
      ended = true;
      if (stream) quietly(() => handle.report(stream.result()));
      if (error !== undefined) recordFailure(span, error);
      quietly(() => span.end());
    },
  });
}

/** Where a wrapped method sends its calls instead of the original (an untraced twin of the client). */
export interface CallRoute {
  fn: AnyFunction;
  self: unknown;
}

/**
 * Replaces `owner[method]` by a traced version (once per owner), keeping `this` and the call's
 * result; with `route`, calls go to `route.fn` on `route.self` instead. Returns false when the
 * method is missing or already wrapped.
 */
export function wrapMethod(owner: unknown, method: string, core: TrackerCore, adapter: ProviderAdapter, route?: CallRoute): boolean {
  const target = rec(owner);
  if (target === undefined || wrapped.has(target)) return false;
  const original = target[method];
  if (typeof original !== 'function') return false;
  const call = original as AnyFunction;
  target[method] = function traced(this: unknown, ...args: unknown[]) {
    return route ? tracedCall(core, adapter, route.fn, route.self, args) : tracedCall(core, adapter, call, this, args);
  };
  wrapped.add(target);
  return true;
}
