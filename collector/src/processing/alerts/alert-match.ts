import type { AnomalyRow, AnomalySeverity } from '@agentflow/schemas';
import type { AlertRule } from './alert-rules.js';

const SEVERITY_RANK: Record<AnomalySeverity, number> = { warning: 0, critical: 1 };

/** True when the rule's kind, severity, agent and tenant filters all accept the anomaly. */
export function isMatch(rule: AlertRule, anomaly: AnomalyRow): boolean {
  if (rule.kind !== undefined && anomaly.kind !== rule.kind) return false;
  if (rule.kindPrefix !== undefined && !anomaly.kind.startsWith(rule.kindPrefix)) return false;
  if (SEVERITY_RANK[anomaly.severity] < SEVERITY_RANK[rule.minSeverity]) return false;
  if (rule.agent !== undefined && anomaly.agentName !== rule.agent) return false;
  if (rule.tenant !== undefined && anomaly.tenantId !== rule.tenant) return false;
  return true;
}

/**
 * What the interval limits: one rule and one session of one tenant. An anomaly of an agent or
 * tenant as a whole (no session, like `budget.cost_rate`) counts as its agent's.
 */
export function rateKey(rule: AlertRule, anomaly: AnomalyRow): string {
  const subject = anomaly.sessionId !== '' ? `s:${anomaly.sessionId}` : `a:${anomaly.agentName}`;
  return `${rule.name}\u0000${anomaly.tenantId}\u0000${subject}`;
}
