import type { AnomalyRow, SessionUsage } from '@agentflow/schemas';

/** The guard's answer: go on, go on with care, or stop before the next step. */
export type Verdict = 'allow' | 'warn' | 'stop';

/** One reason behind a verdict: an open anomaly, in the words of its detail. */
export interface VerdictReason {
  kind: string;
  severity: AnomalyRow['severity'];
  detail: string;
  anomaly_id: string;
}

/** What `POST /api/v1/guard` answers. */
export interface GuardAnswer {
  verdict: Verdict;
  reasons: VerdictReason[];
  usage: { llm_calls: number; tool_calls: number; tokens: number; cost_usd: number; duration_ms: number };
}

/**
 * The verdict for a session from its open anomalies: `stop` while a critical one is open (a
 * loop past its critical threshold, a broken budget, an orphaned run), `warn` while only
 * warnings are, `allow` otherwise. Critical reasons come first.
 */
export function guardVerdict(open: readonly AnomalyRow[], usage: SessionUsage | undefined): GuardAnswer {
  const live = open.filter((a) => a.resolvedAt === null);
  const critical = live.some((a) => a.severity === 'critical');
  const reasons = [...live]
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1))
    .map((a) => ({ kind: a.kind, severity: a.severity, detail: a.detail, anomaly_id: a.anomalyId }));
  const u = usage ?? { llmCalls: 0, toolCalls: 0, steps: 0, tokens: 0, costUsd: 0, durationMs: 0 };
  return {
    verdict: critical ? 'stop' : live.length > 0 ? 'warn' : 'allow',
    reasons,
    usage: { llm_calls: u.llmCalls, tool_calls: u.toolCalls, tokens: u.tokens, cost_usd: u.costUsd, duration_ms: u.durationMs },
  };
}
