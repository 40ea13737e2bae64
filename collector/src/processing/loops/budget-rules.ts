import type { AnomalyKind, SessionUsage } from '@agentflow/schemas';
import type { Finding } from './steps.js';

/** Per-session limits; an absent limit is not checked. */
export interface Budgets {
  llmCalls?: number | undefined;
  toolCalls?: number | undefined;
  /** Actions of any kind. */
  steps?: number | undefined;
  /** Input plus output tokens. */
  tokens?: number | undefined;
  costUsd?: number | undefined;
  durationMs?: number | undefined;
}

/** One figure's progression: the running total after each span, in order. */
export interface UsageMark {
  spanId: string;
  atNs: bigint;
  usage: SessionUsage;
}

const BUDGETS: readonly { key: keyof Budgets & keyof SessionUsage; kind: AnomalyKind; what: (n: number) => string }[] = [
  { key: 'llmCalls', kind: 'budget.llm_calls', what: (n) => `${n} LLM calls` },
  { key: 'toolCalls', kind: 'budget.tool_calls', what: (n) => `${n} tool calls` },
  { key: 'steps', kind: 'budget.steps', what: (n) => `${n} steps` },
  { key: 'tokens', kind: 'budget.tokens', what: (n) => `${n} tokens` },
  { key: 'costUsd', kind: 'budget.cost', what: (n) => `$${n.toFixed(4)}` },
  { key: 'durationMs', kind: 'budget.duration', what: (n) => `${Math.round(n / 1000)} s` },
];

/**
 * `budget.*`: each limit the session's usage went over, found at the span that crossed it. A
 * broken budget is critical: the guard answers `stop` for it.
 */
export function budgetFindings(marks: readonly UsageMark[], budgets: Budgets): Finding[] {
  const findings: Finding[] = [];
  const last = marks.at(-1);
  if (!last) return findings;
  for (const { key, kind, what } of BUDGETS) {
    const limit = budgets[key];
    if (limit === undefined) continue;
    const crossed = marks.find((m) => m.usage[key] > limit);
    if (!crossed) continue;
    const used = last.usage[key];
    findings.push({
      kind,
      severity: 'critical',
      detail: `used ${what(used)}, over the budget of ${what(limit)}`,
      evidence: [crossed.spanId],
      count: key === 'costUsd' || key === 'durationMs' ? 1 : Math.max(1, Math.ceil(used - limit)),
      discriminator: key,
      detectedNs: crossed.atNs,
      lastSeenNs: last.atNs,
      // Spending cannot be taken back: open until the session ends.
      resolvedNs: null,
    });
  }
  return findings;
}
