import { randomUUID } from 'node:crypto';
import type { AnomalyRow } from '@agentflow/schemas';
import type { AlertRule } from './alert-rules.js';
import { isMatch, rateKey } from './alert-match.js';
import { buildAlertPayload, idempotencyKey, testAlertPayload } from './alert-payload.js';
import { AlertJournal, type SentMark, type StoredDelivery } from './alert-journal.js';
import { createDeliveryQueue, deliveryHeaders } from './delivery-queue.js';
import { postWebhook, type FetchPort } from './webhook-delivery.js';
import { createWarnLimiter, type AlertLogger } from './warn-limiter.js';

/** What the dispatcher needs from outside; all but `log` have production defaults. */
export interface AlertDispatcherDeps {
  log: AlertLogger;
  /** Default: the global `fetch`. */
  fetch?: FetchPort;
  /** The clock, ms since the epoch (intervals, retry times, idempotency windows). Default `Date.now`. */
  now?: () => number;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: () => number;
  /**
   * Runs `fn` after `ms`; returns a cancel function. Default `setTimeout`, unref'd (retries
   * waiting never keep the process up) unless `keepAlive` (the stop deadline, which must fire).
   */
  setTimer?: (fn: () => void, ms: number, keepAlive?: boolean) => () => void;
}

/** The rules and limits of a dispatcher. */
export interface AlertDispatcherOptions {
  rules: readonly AlertRule[];
  /** Where the journal of pending deliveries and last-sent times lives, e.g. `<dataDir>/alerts`. */
  stateDir: string;
  /** Base of links in payloads, e.g. `https://agentflow.example.com` (no trailing `/api/v1`). */
  publicBaseUrl: string;
  /** Deliveries held at once (waiting, retrying or in flight); more are dropped and counted. Default 10,000. */
  maxQueued?: number;
  /** Payload bytes held at once; more are dropped and counted. Default 16 MiB. */
  maxQueuedBytes?: number;
  /** Webhook requests in flight at once. Default 4. */
  concurrency?: number;
  /** The journal is compacted once it grows past this, bytes. Default 8 MiB. */
  maxJournalBytes?: number;
  /**
   * Anomalies whose newest time (detected, last seen or resolved: span times) is older than this
   * are history, not news, and are not alerted, ms. Default 1 hour. A rebuild re-detects old
   * anomalies with newer versions, and so does assembly after a restart; without this they
   * would be alerted again once their interval had passed.
   */
  maxAgeMs?: number;
}

/** Counters since start. */
export interface AlertStats {
  /** Anomalies not looked at because they are older than `maxAgeMs`. */
  tooOld: number;
  /** Anomaly-rule pairs that matched; of those, held back by the interval, dropped (queue full or not running), enqueued. */
  matched: number;
  suppressed: number;
  dropped: number;
  enqueued: number;
  delivered: number;
  /** Given up: refused with a 4xx, out of retries, or their rule is gone. */
  failed: number;
  retries: number;
  /** Deliveries not yet done. */
  queued: number;
}

/** The answer of a test delivery: `status` is null when no HTTP answer came. */
export interface AlertTestResult {
  ok: boolean;
  status: number | null;
  error?: string;
}

/** Matches anomalies to rules and delivers them to webhooks, at least once, rate-limited per rule and session. */
export interface AlertDispatcher {
  /** Reloads what the last run left undelivered and resumes it. Idempotent. */
  start(): Promise<void>;
  /**
   * Stops taking anomalies; makes the attempts due now, for at most `deadlineMs`; aborts what is
   * still in flight; persists what is left (retries waiting for their backoff included) for the
   * next start. Idempotent.
   */
  stop(deadlineMs: number): Promise<void>;
  /** Matches and enqueues; synchronous, cheap, never throws. Anomalies are dropped (and counted) unless started. */
  notify(anomalies: readonly AnomalyRow[]): void;
  /** Sends a synthetic test alert for the rule now, once, outside the queue and the interval. */
  sendTest(ruleName: string): Promise<AlertTestResult>;
  rules(): readonly AlertRule[];
  stats(): AlertStats;
}

// Marks past their interval only stop a repeat of the very same version; past this many, notify
// forgets those (as compaction does).
const MAX_MARKS = 100_000;

/** Creates a dispatcher; nothing happens until {@link AlertDispatcher.start}. */
export function createAlertDispatcher(deps: AlertDispatcherDeps, options: AlertDispatcherOptions): AlertDispatcher {
  const now = deps.now ?? Date.now;
  const fetchFn: FetchPort = deps.fetch ?? ((url, init) => fetch(url, init));
  const random = deps.random ?? Math.random;
  const setTimer = deps.setTimer ?? ((fn, ms, keepAlive) => {
    const t = setTimeout(fn, ms);
    if (!keepAlive) t.unref();
    return () => clearTimeout(t);
  });
  const maxQueued = options.maxQueued ?? 10_000;
  const maxQueuedBytes = options.maxQueuedBytes ?? 16 * 1024 * 1024;
  const warn = createWarnLimiter(deps.log, now);
  const rulesByName = new Map(options.rules.map((r) => [r.name, r]));
  const marks = new Map<string, SentMark>();
  let pruneAt = MAX_MARKS;
  const maxAgeNs = BigInt(options.maxAgeMs ?? 3_600_000) * 1_000_000n;
  const s = { tooOld: 0, matched: 0, suppressed: 0, dropped: 0, enqueued: 0, delivered: 0, failed: 0, retries: 0 };
  let journal: AlertJournal | undefined;
  const queue = createDeliveryQueue(
    { fetch: fetchFn, now, random, setTimer, warn, onDone: (id) => journal?.append({ t: 'd', id }) },
    rulesByName, options.concurrency ?? 4, s,
  );
  let running = false;
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  const stats = (): AlertStats => ({ ...s, queued: queue.size });
  const live = (m: SentMark, t: number) => t - m.at < (rulesByName.get(m.rule)?.intervalMs ?? 0);
  const snapshot = () => {
    const t = now();
    return { deliveries: queue.held(), marks: [...marks.values()].filter((m) => live(m, t)) };
  };

  function enqueue(rule: AlertRule, anomaly: AnomalyRow, t: number): void {
    const k = rateKey(rule, anomaly);
    const last = marks.get(k);
    // Within the interval nothing more is sent for the session; after it, not the same version again (an export retried late).
    if (last && (t - last.at < rule.intervalMs || (last.a === anomaly.anomalyId && BigInt(last.v) >= anomaly.version))) {
      s.suppressed++;
      return;
    }
    if (!running || !journal) {
      s.dropped++;
      warn('alert dispatcher is not running; alerts dropped', { rule: rule.name, dropped: s.dropped });
      return;
    }
    const body = buildAlertPayload(rule, anomaly, options.publicBaseUrl);
    const json = JSON.stringify(body);
    const bytes = Buffer.byteLength(json);
    if (queue.size >= maxQueued || queue.bytes + bytes > maxQueuedBytes) {
      s.dropped++;
      warn('alert queue full; alerts dropped', { rule: rule.name, queued: queue.size, queuedBytes: queue.bytes, dropped: s.dropped });
      return;
    }
    if (marks.size >= pruneAt) {
      for (const [key, m] of marks) if (!live(m, t)) marks.delete(key);
      // Many sessions alerted within their interval: scan again only once the map has doubled.
      pruneAt = Math.max(MAX_MARKS, 2 * marks.size);
    }
    const mark: SentMark = { k, rule: rule.name, at: t, a: anomaly.anomalyId, v: anomaly.version.toString() };
    marks.set(k, mark);
    journal.append({ t: 's', ...mark });
    const d: StoredDelivery = { id: randomUUID(), rule: rule.name, key: idempotencyKey(rule, anomaly, t), at: t, body };
    queue.add(d, json);
    journal.append({ t: 'q', ...d });
    s.enqueued++;
  }

  return {
    start() {
      starting ??= (async () => {
        if (stopping) return;
        const opened = await AlertJournal.open(options.stateDir, {
          maxBytes: options.maxJournalBytes ?? 8 * 1024 * 1024,
          snapshot,
          onError: (err) => warn('alert journal write failed; the queue goes on in memory', { err }),
        });
        for (const m of opened.recovered.marks) if (rulesByName.has(m.rule)) marks.set(m.k, m);
        // Deliveries of a rule since removed from the file are not resumed; the compaction below forgets them.
        const resumable = opened.recovered.deliveries.filter((d) => rulesByName.has(d.rule));
        for (const d of resumable) queue.add(d);
        const orphaned = opened.recovered.deliveries.length - resumable.length;
        journal = opened.journal;
        await journal.compact();
        running = true;
        deps.log.info({ rules: options.rules.length, resumed: queue.size, orphaned, unreadable: opened.recovered.unreadable }, 'alert dispatcher started');
        queue.pump();
      })();
      return starting;
    },

    stop(deadlineMs) {
      stopping ??= (async () => {
        await starting?.catch(() => undefined); // a failed start has nothing to stop
        running = false;
        if (!journal) return;
        await queue.drain(deadlineMs);
        await journal.close();
        deps.log.info({ ...stats() }, 'alert dispatcher stopped');
      })();
      return stopping;
    },

    notify(anomalies) {
      const t = now();
      const oldestNs = BigInt(t) * 1_000_000n - maxAgeNs;
      for (const anomaly of anomalies) {
        // One malformed row must not cost the others their alerts.
        try {
          if (newestNs(anomaly) < oldestNs) {
            s.tooOld++;
            continue;
          }
          for (const rule of options.rules) {
            if (!isMatch(rule, anomaly)) continue;
            s.matched++;
            enqueue(rule, anomaly, t);
          }
        } catch (err) {
          warn('alert matching failed; anomaly skipped', { err });
        }
      }
      queue.pump();
    },

    async sendTest(ruleName) {
      const rule = rulesByName.get(ruleName);
      if (!rule) return { ok: false, status: null, error: `no alert rule named '${ruleName}'` };
      const body = JSON.stringify(testAlertPayload(rule, options.publicBaseUrl, now()));
      const request = { url: rule.webhook.url, headers: deliveryHeaders(rule, `test-${randomUUID()}`), body, timeoutMs: rule.timeoutMs };
      const outcome = await postWebhook(fetchFn, request, now());
      if (outcome.kind === 'delivered') return { ok: true, status: outcome.status };
      if (outcome.kind === 'aborted') return { ok: false, status: null, error: 'aborted' };
      return { ok: false, status: outcome.status, error: outcome.error };
    },

    rules: () => options.rules,
    stats,
  };
}

function newestNs(a: AnomalyRow): bigint {
  const seen = a.lastSeenAt > a.detectedAt ? a.lastSeenAt : a.detectedAt;
  return a.resolvedAt !== null && a.resolvedAt > seen ? a.resolvedAt : seen;
}
