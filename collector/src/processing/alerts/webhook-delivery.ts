/** The `fetch` the dispatcher calls: the global one in production, any conforming function in tests. */
export type FetchPort = (url: string, init: RequestInit) => Promise<Response>;

/** One POST to a webhook. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  /** The JSON body, already serialised. */
  body: string;
  /** The attempt is abandoned after this long, ms. */
  timeoutMs: number;
  /** Aborts the attempt early (the dispatcher's shutdown deadline). */
  signal?: AbortSignal | undefined;
}

/**
 * What one attempt came to: delivered (2xx); retryable (no answer, a 5xx or a 429, with the
 * receiver's Retry-After when it sent one); permanent (any other status: retrying cannot help);
 * or aborted by the caller's signal (not the receiver's fault: not counted as an attempt).
 */
export type DeliveryOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retryable'; status: number | null; error: string; retryAfterMs?: number | undefined }
  | { kind: 'permanent'; status: number; error: string }
  | { kind: 'aborted' };

// A receiver's Retry-After is honoured up to this: a bogus header must not park a delivery for days.
const MAX_RETRY_AFTER_MS = 3_600_000;

/** POSTs once and classifies the answer; never throws. */
export async function postWebhook(fetchFn: FetchPort, req: WebhookRequest, nowMs: number): Promise<DeliveryOutcome> {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  let response: Response;
  try {
    // Redirects are not followed: a POST redirected with 301/302 becomes a GET on the way, and
    // the alert would be lost while the receiver answers 200.
    response = await fetchFn(req.url, {
      method: 'POST', headers: req.headers, body: req.body, redirect: 'manual',
      signal: req.signal ? AbortSignal.any([req.signal, timeout]) : timeout,
    });
  } catch (err) {
    if (req.signal?.aborted) return { kind: 'aborted' };
    if (timeout.aborted) return { kind: 'retryable', status: null, error: `no answer within ${req.timeoutMs} ms` };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'retryable', status: null, error: cause?.code ?? cause?.message ?? (err as Error).message };
  }
  const status = response.status;
  if (status >= 200 && status < 300) {
    await response.body?.cancel().catch(() => undefined);
    return { kind: 'delivered', status };
  }
  const text = await response.text().catch(() => '');
  const error = `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
  if (status === 429 || status >= 500) return { kind: 'retryable', status, error, retryAfterMs: retryAfterMs(response.headers.get('retry-after'), nowMs) };
  if (status >= 300 && status < 400) return { kind: 'permanent', status, error: `HTTP ${status}: redirected to ${response.headers.get('location') ?? '?'}; configure the final URL` };
  return { kind: 'permanent', status, error };
}

/** RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - nowMs;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * Wait before retry number `retry` (1 for the first): `initialMs` doubled per retry, capped at
 * `maxMs`, then "equal jitter" (half fixed, half random) so receivers that failed together are
 * not all retried at the same instant; never shorter than the receiver's Retry-After.
 */
export function retryDelayMs(retry: number, initialMs: number, maxMs: number, random: () => number, retryAfter?: number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(retry - 1, 30));
  const jittered = base / 2 + random() * (base / 2);
  return Math.max(Math.round(jittered), retryAfter ?? 0);
}
