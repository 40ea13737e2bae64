import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { num, readRows, type Scope } from './scope.js';

/** How many anomalies, how many of them still open, how many critical. */
export interface AnomalyCount {
  anomalies: number;
  open: number;
  critical: number;
}

/** Anomalies of one kind (`loop.repeat_call`, …). */
export type KindAnomalies = { kind: string } & AnomalyCount;

/** Anomalies of one agent; agent '' for those of a tenant as a whole. */
export type AgentAnomalies = { agent: string } & AnomalyCount;

/** Anomalies detected in the range, in total, by kind and by agent, most first. */
export type AnomalyFigures = AnomalyCount & { by_kind: KindAnomalies[]; by_agent: AgentAnomalies[] };

/**
 * Anomalies of the scope detected in its range (by detection time: the table is partitioned by
 * it), each in its latest version (FINAL), so an anomaly resolved since counts as resolved.
 */
export async function anomalyFigures(client: ClickHouseClient, scope: Scope): Promise<AnomalyFigures> {
  const rows = await readRows<{ kind: string; agent_name: string; anomalies: unknown; open: unknown; critical: unknown }>(client,
    `SELECT kind, agent_name, count() AS anomalies, countIf(resolved_at IS NULL) AS open, countIf(severity = 'critical') AS critical
     FROM ${DATABASE}.${TABLES.ANOMALIES_DATA} FINAL
     WHERE tenant_id = {tenant:String} AND detected_at >= fromUnixTimestamp64Nano({from_ns:Int64})
       AND detected_at < fromUnixTimestamp64Nano({to_ns:Int64}) ${scope.agent === null ? '' : 'AND agent_name = {agent:String}'}
     GROUP BY kind, agent_name`,
    { tenant: scope.tenant, from_ns: scope.range.fromNs.toString(), to_ns: scope.range.toNs.toString(), ...(scope.agent === null ? {} : { agent: scope.agent }) });
  const total: AnomalyCount = { anomalies: 0, open: 0, critical: 0 };
  const byKind = new Map<string, AnomalyCount>();
  const byAgent = new Map<string, AnomalyCount>();
  for (const r of rows) {
    const count = { anomalies: num(r.anomalies), open: num(r.open), critical: num(r.critical) };
    for (const into of [total, entry(byKind, r.kind), entry(byAgent, r.agent_name)]) {
      into.anomalies += count.anomalies;
      into.open += count.open;
      into.critical += count.critical;
    }
  }
  return {
    ...total,
    by_kind: sorted(byKind).map(([kind, c]) => ({ kind, ...c })),
    by_agent: sorted(byAgent).map(([agent, c]) => ({ agent, ...c })),
  };
}

function entry(map: Map<string, AnomalyCount>, key: string): AnomalyCount {
  let found = map.get(key);
  if (!found) map.set(key, (found = { anomalies: 0, open: 0, critical: 0 }));
  return found;
}

function sorted(map: Map<string, AnomalyCount>): [string, AnomalyCount][] {
  return [...map.entries()].sort(([ka, a], [kb, b]) => b.anomalies - a.anomalies || b.open - a.open || ka.localeCompare(kb));
}
