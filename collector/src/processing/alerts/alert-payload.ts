import { createHash, randomUUID } from 'node:crypto';
import { ANOMALY_KINDS, DEFAULT_TENANT, type AnomalyJson, type AnomalyRow } from '@agentflow/schemas';
import type { AlertRule } from './alert-rules.js';

/** The JSON body POSTed to a rule's webhook. Times are ISO 8601 (UTC). */
export interface AlertPayload {
  rule: string;
  /** Present and true only on a delivery of `agentflow alerts test`: no anomaly happened. */
  test?: true;
  anomaly: AnomalyJson & { tenant_id: string };
  /** The session in the REST API; null for an anomaly of an agent or tenant as a whole (no session). */
  session_url: string | null;
  /** One line for chat webhooks (Slack, Mattermost; Discord through its `/slack` URL), which show `text`. */
  text: string;
}

// Long details are cut in `text` only (chat messages), never in `anomaly.detail`.
const MAX_TEXT_DETAIL = 500;

const iso = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString();

/** The payload for one anomaly under one rule; `publicBaseUrl` is where users reach the REST API. */
export function buildAlertPayload(rule: AlertRule, anomaly: AnomalyRow, publicBaseUrl: string): AlertPayload {
  const sessionUrl = anomaly.sessionId === '' ? null : `${publicBaseUrl.replace(/\/+$/, '')}/api/v1/sessions/${encodeURIComponent(anomaly.sessionId)}`;
  const detail = anomaly.detail.length > MAX_TEXT_DETAIL ? `${anomaly.detail.slice(0, MAX_TEXT_DETAIL - 1)}…` : anomaly.detail;
  const tenant = anomaly.tenantId === DEFAULT_TENANT ? '' : ` (tenant ${anomaly.tenantId})`;
  const resolved = anomaly.resolvedAt === null ? '' : ' (resolved)';
  return {
    rule: rule.name,
    anomaly: {
      anomaly_id: anomaly.anomalyId,
      tenant_id: anomaly.tenantId,
      session_id: anomaly.sessionId,
      trace_id: anomaly.traceId,
      agent_name: anomaly.agentName,
      kind: anomaly.kind,
      severity: anomaly.severity,
      detail: anomaly.detail,
      evidence: anomaly.evidence,
      count: anomaly.count,
      detected_at: iso(anomaly.detectedAt),
      last_seen_at: iso(anomaly.lastSeenAt),
      resolved_at: anomaly.resolvedAt === null ? null : iso(anomaly.resolvedAt),
    },
    session_url: sessionUrl,
    text: `[${anomaly.severity}] ${anomaly.kind} on ${anomaly.agentName || 'an unnamed agent'}${tenant}: ${detail}${resolved}${sessionUrl ? ` — ${sessionUrl}` : ''}`,
  };
}

/**
 * The `Idempotency-Key` of a delivery: the same for the same rule, anomaly and interval window
 * (the epoch divided into intervals), so a receiver can drop a duplicate even when our own
 * record of the last send was lost; two sends the interval allows fall in different windows.
 */
export function idempotencyKey(rule: AlertRule, anomaly: Pick<AnomalyRow, 'tenantId' | 'anomalyId'>, nowMs: number): string {
  const window = Math.floor(nowMs / rule.intervalMs);
  return createHash('sha256').update(`${rule.name}\u0000${anomaly.tenantId}\u0000${anomaly.anomalyId}\u0000${window}`).digest('hex').slice(0, 32);
}

/** A synthetic anomaly for `agentflow alerts test`: marked as a test in its id, agent, detail and payload. */
export function testAlertPayload(rule: AlertRule, publicBaseUrl: string, nowMs: number): AlertPayload {
  const ns = BigInt(nowMs) * 1_000_000n;
  const id = `test-${randomUUID()}`;
  const payload = buildAlertPayload(rule, {
    tenantId: rule.tenant ?? DEFAULT_TENANT,
    anomalyId: id,
    sessionId: '',
    traceId: '',
    agentName: rule.agent ?? 'agentflow-test',
    kind: rule.kind ?? ANOMALY_KINDS.find((k) => rule.kindPrefix !== undefined && k.startsWith(rule.kindPrefix)) ?? 'loop.repeat_call',
    severity: rule.minSeverity,
    detail: `test alert from agentflow for rule '${rule.name}': no anomaly happened`,
    evidence: [],
    count: 0,
    detectedAt: ns,
    lastSeenAt: ns,
    resolvedAt: null,
    version: 0n,
  }, publicBaseUrl);
  return { ...payload, test: true, text: `[test] ${payload.text}` };
}
