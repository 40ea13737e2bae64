import { createRequire } from 'node:module';
import {
  defaultTextMapGetter, defaultTextMapSetter, propagation, ROOT_CONTEXT, trace, type Context, type TextMapPropagator,
} from '@opentelemetry/api';
import { quietly } from './run-in-span.js';

/** The W3C Trace Context header (https://www.w3.org/TR/trace-context/#traceparent-header). */
const TRACEPARENT = 'traceparent';

/** undefined: not looked for yet; null: `@opentelemetry/core` is not installed. */
let w3c: TextMapPropagator | null | undefined;

/**
 * W3C Trace Context from `@opentelemetry/core`, loaded on first need. It is loaded lazily (and not
 * imported) so the tracker itself depends on `@opentelemetry/api` alone; without `@opentelemetry/core`
 * an application must register a propagator itself (the SDK does).
 */
function w3cPropagator(): TextMapPropagator | null {
  if (w3c !== undefined) return w3c;
  try {
    const core = createRequire(import.meta.url)('@opentelemetry/core') as typeof import('@opentelemetry/core');
    w3c = new core.W3CTraceContextPropagator();
  } catch {
    w3c = null;
  }
  return w3c;
}

/**
 * Delegation across processes needs `traceparent`. Without an SDK the global propagator is a no-op
 * (no fields), and an application may register one that writes other headers only (B3, baggage):
 * in both cases W3C Trace Context is written and read as well.
 */
function globalWritesTraceparent(): boolean {
  try {
    return propagation.fields().includes(TRACEPARENT);
  } catch {
    return false;
  }
}

/** Writes the trace context of `ctx` into `carrier` (a new object when it is not one) and returns it. */
export function injectInto<C extends object>(carrier: C | undefined, ctx: Context): C {
  const target = (typeof carrier === 'object' && carrier !== null ? carrier : {}) as C;
  quietly(() => propagation.inject(ctx, target));
  if (!globalWritesTraceparent()) quietly(() => w3cPropagator()?.inject(ctx, target, defaultTextMapSetter));
  return target;
}

/** The context a carrier describes, on top of the root context (no active span leaks in). */
export function extractFrom(carrier: unknown): Context {
  if (typeof carrier !== 'object' || carrier === null) return ROOT_CONTEXT;
  let ctx = ROOT_CONTEXT;
  quietly(() => {
    ctx = propagation.extract(ROOT_CONTEXT, carrier);
  });
  if (trace.getSpanContext(ctx) === undefined && !globalWritesTraceparent()) {
    quietly(() => {
      const fallback = w3cPropagator();
      if (fallback) ctx = fallback.extract(ctx, carrier, defaultTextMapGetter);
    });
  }
  return ctx;
}

/** True when `value` is an OpenTelemetry context rather than a carrier. */
export function isContext(value: unknown): value is Context {
  try {
    const v = value as Partial<Context> | null;
    return typeof v === 'object' && v !== null && typeof v.getValue === 'function' && typeof v.setValue === 'function';
  } catch {
    return false;
  }
}
