import { isThenable, quietly } from '../run-in-span.js';

/** What happens to one observed API call. Each callback is guarded by the caller. */
export interface CallObserver {
  /** The whole (non-streamed) response. */
  response(data: unknown): void;
  /** One event of a streamed response. */
  chunk(event: unknown): void;
  /** The call is over: after the response, at the end of the stream, or with an error. Called once. */
  end(error?: unknown): void;
}

/** The parts of a Stainless `APIPromise` (the `openai` and `@anthropic-ai/sdk` clients) this module uses. */
interface ApiPromiseLike {
  parse(): Promise<unknown>;
  asResponse?(): Promise<unknown>;
}

function isApiPromise(value: unknown): value is ApiPromiseLike {
  return isThenable(value) && typeof (value as Partial<ApiPromiseLike>).parse === 'function';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  try {
    return typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
  } catch {
    return false;
  }
}

/** An iterator that reports each item, the end and a failure of `inner` to `observer`. */
function observeIterator(inner: AsyncIterator<unknown>, observer: CallObserver): AsyncIterator<unknown> & AsyncIterable<unknown> {
  return {
    async next(...args: [] | [unknown]) {
      let step: IteratorResult<unknown>;
      try {
        step = await inner.next(...args);
      } catch (error) {
        observer.end(error);
        throw error;
      }
      if (step.done) observer.end();
      else observer.chunk(step.value);
      return step;
    },
    // A consumer that stops early (break, return) ends the call without an error.
    async return(value?: unknown) {
      observer.end();
      return inner.return ? inner.return(value) : { done: true, value };
    },
    async throw(error?: unknown) {
      observer.end(error);
      if (inner.throw) return inner.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * Makes `stream` report its events to `observer`, in place, so the object the caller receives keeps
 * its class and helpers. Stainless streams iterate through their `iterator` function (also used by
 * `tee()` and `toReadableStream()`), so that is replaced when present; otherwise the instance gets
 * its own `Symbol.asyncIterator`.
 */
function observeStream(stream: AsyncIterable<unknown>, observer: CallObserver): void {
  const s = stream as AsyncIterable<unknown> & { iterator?: () => AsyncIterator<unknown> };
  if (typeof s.iterator === 'function') {
    const original = s.iterator;
    s.iterator = function observed(this: unknown) {
      return observeIterator(original.call(this), observer);
    };
    return;
  }
  const original = s[Symbol.asyncIterator];
  Object.defineProperty(s, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value: function observed(this: unknown) {
      return observeIterator(original.call(this), observer);
    },
  });
}

/**
 * Observes the result of an SDK call and returns it (the same object, so `APIPromise` helpers such
 * as `withResponse()` keep working):
 * - a Stainless `APIPromise` is observed through its `parse()`, which every way of reading the body
 *   goes through, so observing never reads a body the caller wanted raw; a caller that takes only
 *   `asResponse()` ends the call when the response arrives, without usage;
 * - another promise is observed with `then`;
 * - a streamed body (`streaming`) ends the call when the caller finishes iterating it; a stream that is
 *   never read leaves its call open.
 */
export function observeCall<R>(result: R, streaming: boolean, observer: CallObserver): R {
  const onData = (data: unknown): void => {
    if (streaming && isAsyncIterable(data)) {
      try {
        observeStream(data, observer);
        return;
      } catch {
        // A frozen stream cannot be observed: the call ends now, without its events.
      }
    } else {
      observer.response(data);
    }
    observer.end();
  };
  const onError = (error: unknown): void => observer.end(error);
  if (isApiPromise(result)) {
    try {
      hookApiPromise(result, onData, onError);
      return result;
    } catch {
      // Not patchable: fall through to plain promise observation.
    }
  }
  if (isThenable(result)) {
    quietly(() => void result.then(onData, onError));
    return result;
  }
  onData(result);
  return result;
}

function hookApiPromise(promise: ApiPromiseLike, onData: (data: unknown) => void, onError: (error: unknown) => void): void {
  let parsing = false;
  const parse = promise.parse;
  promise.parse = function observedParse(this: unknown) {
    const parsed = parse.call(this);
    if (!parsing) {
      parsing = true;
      quietly(() => void parsed.then(onData, onError));
    }
    return parsed;
  };
  const asResponse = promise.asResponse;
  if (typeof asResponse !== 'function') return;
  promise.asResponse = function observedAsResponse(this: unknown) {
    const response = asResponse.call(this);
    // `withResponse()` parses before it asks for the response: only a raw-only caller ends the call here.
    quietly(() => void response.then(() => parsing || onData(undefined), (error: unknown) => parsing || onError(error)));
    return response;
  };
}
