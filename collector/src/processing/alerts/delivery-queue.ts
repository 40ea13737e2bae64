import type { AlertRule } from './alert-rules.js';
import type { StoredDelivery } from './alert-journal.js';
import { postWebhook, retryDelayMs, type DeliveryOutcome, type FetchPort } from './webhook-delivery.js';
import type { LimitedWarn } from './warn-limiter.js';

/** What the queue needs: the transport, the clock and timers, and where to report. */
export interface DeliveryQueueDeps {
  fetch: FetchPort;
  now: () => number;
  random: () => number;
  /** `keepAlive`: the timer holds the process up (the stop deadline); others must not. */
  setTimer: (fn: () => void, ms: number, keepAlive?: boolean) => () => void;
  warn: LimitedWarn;
  /** Called once a delivery is done for good (delivered or given up), to journal it. */
  onDone: (id: string) => void;
}

/** Outcome counters, shared with the dispatcher's own. */
export interface DeliveryCounters {
  delivered: number;
  failed: number;
  retries: number;
}

/** Deliveries waiting, retrying or in flight, sent oldest first a few at a time. */
export interface DeliveryQueue {
  /** Held deliveries and their payload bytes. */
  readonly size: number;
  readonly bytes: number;
  /** Adds a delivery, due now (`json`: its body serialised, when the caller has it); call {@link pump} after a batch of adds. */
  add(d: StoredDelivery, json?: string): void;
  /** Starts what is due, up to the concurrency, and sets a timer for the next due. */
  pump(): void;
  /** Every delivery not yet done (in flight included), oldest first: what a restart must resume. */
  held(): StoredDelivery[];
  /**
   * Makes the attempts due now (a retry waiting for its backoff is not waited for: with the
   * receiver down, stop would otherwise take the whole deadline), for at most `deadlineMs`; then
   * aborts what is in flight (it stays held) and stops for good. Resolves once nothing runs.
   */
  drain(deadlineMs: number): Promise<void>;
}

interface Pending extends StoredDelivery {
  json: string;
  bytes: number;
  attempts: number;
  /** When the next attempt may start, ms. */
  dueAt: number;
}

/** The headers of every delivery: the rule's, then ours (rules files may not set these). */
export function deliveryHeaders(rule: AlertRule, key: string): Record<string, string> {
  return { ...rule.webhook.headers, 'content-type': 'application/json', 'Idempotency-Key': key };
}

/**
 * Creates the queue. Each delivery is retried on a network error, a 5xx or a 429 with
 * exponential backoff, up to its rule's retries; other answers end it. A rule missing from
 * `rules` ends its deliveries as failed.
 */
export function createDeliveryQueue(deps: DeliveryQueueDeps, rules: ReadonlyMap<string, AlertRule>, concurrency: number, counters: DeliveryCounters): DeliveryQueue {
  // Insertion order is enqueue order: the oldest due delivery goes first.
  const pending = new Map<string, Pending>();
  const inFlight = new Map<string, Promise<void>>();
  const abort = new AbortController();
  let bytes = 0;
  let wake: { at: number; cancel: () => void } | undefined;
  let draining: { until: number; idle: () => void } | undefined;

  function finish(d: Pending): void {
    pending.delete(d.id);
    bytes -= d.bytes;
    deps.onDone(d.id);
  }

  function pump(): void {
    if (abort.signal.aborted) return;
    const t = deps.now();
    let next = Infinity;
    for (const d of pending.values()) {
      if (inFlight.size >= concurrency) break;
      if (inFlight.has(d.id)) continue;
      if (d.dueAt <= t) attempt(d);
      else next = Math.min(next, d.dueAt);
    }
    if (wake && wake.at !== next) {
      wake.cancel();
      wake = undefined;
    }
    if (!wake && next !== Infinity) wake = { at: next, cancel: deps.setTimer(() => { wake = undefined; pump(); }, Math.max(0, next - t)) };
    const until = draining?.until ?? -Infinity;
    if (draining && inFlight.size === 0 && ![...pending.values()].some((d) => d.dueAt <= until)) draining.idle();
  }

  function attempt(d: Pending): void {
    const rule = rules.get(d.rule);
    if (!rule) {
      counters.failed++;
      deps.warn('alert rule no longer configured; its deliveries are dropped', { rule: d.rule });
      finish(d);
      return;
    }
    const request = { url: rule.webhook.url, headers: deliveryHeaders(rule, d.key), body: d.json, timeoutMs: rule.timeoutMs, signal: abort.signal };
    const done = postWebhook(deps.fetch, request, deps.now())
      .then((outcome) => settle(d, rule, outcome))
      .catch((err: unknown) => deps.warn('alert delivery bookkeeping failed', { err }))
      .finally(() => {
        inFlight.delete(d.id);
        pump();
      });
    inFlight.set(d.id, done);
  }

  function settle(d: Pending, rule: AlertRule, outcome: DeliveryOutcome): void {
    if (outcome.kind === 'aborted') return; // stopped mid-request: stays held, resumed after the next start
    if (outcome.kind === 'delivered') {
      counters.delivered++;
      finish(d);
      return;
    }
    d.attempts++;
    if (outcome.kind === 'retryable' && d.attempts <= rule.retries) {
      counters.retries++;
      d.dueAt = deps.now() + retryDelayMs(d.attempts, rule.backoffInitialMs, rule.backoffMaxMs, deps.random, outcome.retryAfterMs);
      return;
    }
    counters.failed++;
    const why = outcome.kind === 'permanent' ? 'alert webhook refused the delivery; not retried' : 'alert delivery failed after its retries; given up';
    deps.warn(why, { rule: rule.name, status: outcome.status, error: outcome.error, attempts: d.attempts });
    finish(d);
  }

  return {
    get size() {
      return pending.size;
    },
    get bytes() {
      return bytes;
    },
    add(d, json = JSON.stringify(d.body)) {
      const p: Pending = { ...d, json, bytes: Buffer.byteLength(json), attempts: 0, dueAt: deps.now() };
      pending.set(p.id, p);
      bytes += p.bytes;
    },
    pump,
    held: () => [...pending.values()].map((d) => ({ id: d.id, rule: d.rule, key: d.key, at: d.at, body: d.body })),
    async drain(deadlineMs) {
      await new Promise<void>((resolve) => {
        // Kept alive: the only other timers are unref'd, and stop must resolve whatever runs.
        const cancel = deps.setTimer(resolve, deadlineMs, true);
        draining = { until: deps.now(), idle: () => { cancel(); resolve(); } };
        pump();
      });
      draining = undefined;
      abort.abort();
      wake?.cancel();
      await Promise.allSettled(inFlight.values());
    },
  };
}
