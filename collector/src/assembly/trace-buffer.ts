import type { CanonicalSpan } from '../mapping/canonical-span.js';

/** When a trace counts as settled, and how much the buffer may hold. */
export interface TraceBufferLimits {
  /** A trace whose root span arrived settles after this long without new spans, ms. */
  quietMs: number;
  /** A trace settles this long after its first span arrived, root or not (it may never end), ms. */
  timeoutMs: number;
  /** Open traces held at most; past it the oldest settle early. */
  maxTraces: number;
  /** Spans held at most, over all open traces; past it the oldest traces settle early. */
  maxSpans: number;
}

/** A trace's spans gathered so far. */
export interface OpenTrace {
  tenantId: string;
  traceId: string;
  spans: Map<string, CanonicalSpan>;
  firstArrival: number;
  lastArrival: number;
  rootSeen: boolean;
  /** Spans of this trace were settled before: the settled spans must be read back from storage. */
  reload: boolean;
}

/**
 * Holds canonical spans per trace until the trace settles. Children usually end, and arrive,
 * before their parents, so a trace is complete only once its root has arrived and a quiet
 * period has passed; a trace that never ends settles at a timeout. Memory stays bounded: past
 * `maxTraces` or `maxSpans` the oldest traces settle early with what they have. Keys of settled
 * traces are remembered (bounded too) so that a span arriving late marks its trace for reload.
 */
export class TraceBuffer {
  private readonly open = new Map<string, OpenTrace>();
  private readonly settledKeys = new Map<string, true>();
  private spanCount = 0;

  constructor(private readonly limits: TraceBufferLimits) {}

  /** Traces and spans held now. */
  size(): { traces: number; spans: number } {
    return { traces: this.open.size, spans: this.spanCount };
  }

  /**
   * Adds spans (a repeated span id replaces the earlier copy, so retried exports do not double).
   * Returns the oldest traces evicted to stay within the limits: they settle now, with what they have.
   * `touched` hears of each trace that got spans, once per call.
   */
  add(spans: readonly CanonicalSpan[], now: number, touched?: (trace: OpenTrace) => void): OpenTrace[] {
    const changed = touched ? new Set<OpenTrace>() : undefined;
    for (const span of spans) {
      const key = `${span.tenantId}\u0000${span.traceId}`;
      let trace = this.open.get(key);
      if (!trace) {
        trace = {
          tenantId: span.tenantId, traceId: span.traceId, spans: new Map(), firstArrival: now, lastArrival: now,
          rootSeen: false, reload: this.settledKeys.has(key),
        };
        this.open.set(key, trace);
      }
      if (!trace.spans.has(span.spanId)) this.spanCount++;
      trace.spans.set(span.spanId, span);
      trace.lastArrival = now;
      if (span.parentSpanId === '') trace.rootSeen = true;
      changed?.add(trace);
    }
    if (changed && touched) for (const trace of changed) touched(trace);
    const evicted: OpenTrace[] = [];
    for (const [key, trace] of this.open) {
      if (this.open.size <= this.limits.maxTraces && this.spanCount <= this.limits.maxSpans) break;
      this.remove(key, trace, evicted);
    }
    return evicted;
  }

  /** Removes and returns the traces that settled by `now`, plus the oldest ones past the limits. */
  takeSettled(now: number): OpenTrace[] {
    const done: OpenTrace[] = [];
    // Map iteration is insertion order: the first entries are the oldest traces.
    for (const [key, trace] of this.open) {
      const overLimit = this.open.size > this.limits.maxTraces || this.spanCount > this.limits.maxSpans;
      const quiet = trace.rootSeen && now - trace.lastArrival >= this.limits.quietMs;
      if (overLimit || quiet || now - trace.firstArrival >= this.limits.timeoutMs) this.remove(key, trace, done);
    }
    return done;
  }

  /** Removes and returns every open trace (shutdown, or a test that wants results now). */
  takeAll(): OpenTrace[] {
    const done: OpenTrace[] = [];
    for (const [key, trace] of this.open) this.remove(key, trace, done);
    return done;
  }

  private remove(key: string, trace: OpenTrace, into: OpenTrace[]): void {
    this.open.delete(key);
    this.spanCount -= trace.spans.size;
    this.settledKeys.delete(key);
    this.settledKeys.set(key, true);
    // Remember about as many settled traces as may be open at once: late spans come soon after.
    if (this.settledKeys.size > this.limits.maxTraces * 2) {
      const oldest = this.settledKeys.keys().next().value;
      if (oldest !== undefined) this.settledKeys.delete(oldest);
    }
    into.push(trace);
  }
}
