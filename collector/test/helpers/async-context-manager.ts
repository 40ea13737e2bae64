import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';

/**
 * An OpenTelemetry context manager on Node's AsyncLocalStorage: the active context follows
 * `await`s, as `@opentelemetry/context-async-hooks` (which `sdk-trace-node` registers) does. Code
 * that parents its spans through `context.active()` (the Vercel AI SDK's `startActiveSpan`) needs
 * one; without it, the API's no-op manager makes every span a root of its own trace.
 */
export function createAsyncContextManager(): ContextManager {
  const storage = new AsyncLocalStorage<Context>();
  const manager: ContextManager = {
    active: () => storage.getStore() ?? ROOT_CONTEXT,
    with(context, fn, thisArg, ...args) {
      return storage.run(context, () => fn.apply(thisArg, args));
    },
    bind<T>(context: Context, target: T): T {
      if (typeof target !== 'function') return target;
      const fn = target as (...a: unknown[]) => unknown;
      return function bound(this: unknown, ...a: unknown[]) {
        return storage.run(context, () => fn.apply(this, a));
      } as T;
    },
    enable: () => manager,
    disable() {
      storage.disable();
      return manager;
    },
  };
  return manager;
}
