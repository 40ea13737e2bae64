import { context, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';
import { GENERAL } from '@agentflow/schemas';
import { errorMessage, errorType } from './values.js';

/** Runs `step`, swallowing what it throws: telemetry never fails the agent. */
export function quietly(step: () => void): void {
  try {
    step();
  } catch {
    // Deliberately ignored: a broken exporter, processor or argument costs telemetry, not the agent.
  }
}

/** True for a promise or promise-like; a hostile `then` getter counts as not thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
    return typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

/** Marks `span` failed with `error`: exception event, `error.type`, status ERROR with the message. */
export function recordFailure(span: Span, error: unknown): void {
  quietly(() => span.recordException(error instanceof Error ? error : { name: errorType(error), message: errorMessage(error) }));
  quietly(() => span.setAttribute(GENERAL.ERROR_TYPE, errorType(error)));
  quietly(() => span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) }));
}

/** What to do with the outcome of a run before its span ends (guarded). */
export interface RunHooks {
  /** The value `fn` returned (awaited when it returned a promise). */
  success?(value: unknown): void;
}

/**
 * Runs `fn` with `ctx` active and ends `span` when it is done: at once for a synchronous result,
 * when the promise settles for an asynchronous one. What `fn` throws or rejects with is recorded on
 * the span and then rethrown unchanged; the value `fn` returns is returned (a promise is returned
 * as a promise of the same value).
 */
export function runInSpan<T>(span: Span, ctx: Context, fn: () => T, hooks: RunHooks = {}): T {
  const end = (): void => quietly(() => span.end());
  let result: T;
  try {
    result = context.with(ctx, fn);
  } catch (error) {
    recordFailure(span, error);
    end();
    throw error;
  }
  if (!isThenable(result)) {
    quietly(() => hooks.success?.(result));
    end();
    return result;
  }
  return result.then(
    (value) => {
      quietly(() => hooks.success?.(value));
      end();
      return value;
    },
    (error: unknown) => {
      recordFailure(span, error);
      end();
      throw error;
    },
  ) as T;
}
