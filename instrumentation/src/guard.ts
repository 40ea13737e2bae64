/**
 * The agent side of agentflow's guard: "may this session take its next step?" asked of the
 * collector (`POST /api/v1/guard`), which answers from the session's open anomalies (a loop, a
 * broken budget, an orphaned run). Asking never throws and never waits longer than its timeout:
 * when agentflow cannot be reached the answer is `allow`, so a monitoring outage never stops an agent.
 */
import { DEFAULT_ENDPOINT } from './telemetry.js';

/** What the guard answers. `unreachable` is set when agentflow did not answer (the verdict is then `allow`). */
export interface GuardAnswer {
  verdict: 'allow' | 'warn' | 'stop';
  reasons: { kind: string; severity: 'warning' | 'critical'; detail: string; anomaly_id: string }[];
  usage: { llm_calls: number; tool_calls: number; tokens: number; cost_usd: number; duration_ms: number };
  unreachable?: boolean;
}

/** Where and how to ask. */
export interface GuardOptions {
  /** agentflow's base URL (the OTLP endpoint). Default `http://127.0.0.1:4318`. */
  endpoint?: string;
  /** Sent with every request, e.g. `{ authorization: 'Bearer <ingest key>' }`. */
  headers?: Record<string, string>;
  /** Longest wait for an answer, ms. Default 250. */
  timeoutMs?: number;
  /**
   * Opt in to stopping: before each LLM or tool call of a session, the last verdict the guard gave
   * for it is checked, and on `stop` the call is not made — it throws a {@link GuardStopError}
   * instead. The verdict is refreshed in the background after each call ends, so the check itself
   * never waits on the network. Default false.
   */
  stopBeforeCalls?: boolean;
}

/** Thrown instead of making an LLM or tool call when the guard said `stop` (only with `stopBeforeCalls`). */
export class GuardStopError extends Error {
  override readonly name = 'GuardStopError';
  constructor(readonly answer: GuardAnswer) {
    super(`agentflow guard: stop (${answer.reasons.map((r) => r.detail).join('; ') || 'no reason given'})`);
  }
}

/** Asks the guard about one session. */
export type GuardClient = (sessionId: string) => Promise<GuardAnswer>;

const ALLOW: GuardAnswer = { verdict: 'allow', reasons: [], usage: { llm_calls: 0, tool_calls: 0, tokens: 0, cost_usd: 0, duration_ms: 0 } };
const DEFAULT_TIMEOUT_MS = 250;

/** A guard client for `options`; its answers are `allow` (marked unreachable) on any failure. */
export function createGuardClient(options: GuardOptions): GuardClient {
  const base = (options.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const timeoutMs = typeof options.timeoutMs === 'number' && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_TIMEOUT_MS;
  const headers = { 'content-type': 'application/json', ...(options.headers ?? {}) };
  return async (sessionId) => {
    try {
      const res = await fetch(`${base}/api/v1/guard`, {
        method: 'POST', headers, body: JSON.stringify({ session_id: sessionId }), signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) return { ...ALLOW, unreachable: true };
      const answer = (await res.json()) as GuardAnswer;
      return ['allow', 'warn', 'stop'].includes(answer?.verdict) ? answer : { ...ALLOW, unreachable: true };
    } catch {
      return { ...ALLOW, unreachable: true };
    }
  };
}

/** The answer when no guard is configured. */
export function notConfigured(): GuardAnswer {
  return { ...ALLOW, unreachable: true };
}
