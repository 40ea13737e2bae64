import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';

/**
 * A context manager on `AsyncLocalStorage`, what the Node SDK registers, so the bench measures
 * spans the way agents run them (the active context follows awaits). Written here because the
 * collector does not depend on `@opentelemetry/context-async-hooks`. Binding event emitters is
 * not needed by the bench and not supported.
 */
export class AlsContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const cb = thisArg === undefined ? fn : fn.bind(thisArg);
    return this.#storage.run(context, cb as never, ...args) as ReturnType<F>;
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = (fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[]): unknown => this.with(context, fn, self as never, ...args);
    const f = target as unknown as (...args: unknown[]) => unknown;
    return function bound(this: unknown, ...args: unknown[]) {
      return run(f, this, args);
    } as unknown as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.#storage.disable();
    return this;
  }
}
