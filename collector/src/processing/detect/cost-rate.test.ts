import { describe, expect, it } from 'vitest';
import { CostRateMeter, type Spend } from './cost-rate.js';

const MIN = 60_000_000_000n;
const spend = (spanId: string, minute: number, costUsd: number, agentName = 'researcher', tenantId = 'acme'): Spend => ({
  tenantId, agentName, spanId, costUsd, atNs: BigInt(minute) * MIN,
});

describe('budget.cost_rate', () => {
  it("fires once an agent's spend over the last hour passes the limit, naming the figures", () => {
    const meter = new CostRateMeter({ usdPerHour: 20, per: 'agent' });
    expect(meter.add([spend('a', 0, 8), spend('b', 10, 8)])).toEqual([]);
    const [row, ...rest] = meter.add([spend('c', 20, 8)]);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({
      kind: 'budget.cost_rate', severity: 'critical', agentName: 'researcher', sessionId: '', evidence: ['c'],
      detail: 'agent researcher spent $24.00 in the last hour, over the limit of $20.00 per hour', detectedAt: 20n * MIN, resolvedAt: null,
    });
  });

  it('counts each action once, however often its trace is looked at', () => {
    const meter = new CostRateMeter({ usdPerHour: 20, per: 'agent' });
    for (let i = 0; i < 5; i++) expect(meter.add([spend('same', 0, 15)])).toEqual([]);
  });

  it('forgets spend older than an hour', () => {
    const meter = new CostRateMeter({ usdPerHour: 20, per: 'agent' });
    meter.add([spend('a', 0, 15)]);
    expect(meter.add([spend('b', 61, 15)])).toEqual([]);
  });

  it('keeps agents apart, or sums a tenant when asked to, with one id per scope and hour', () => {
    const perAgent = new CostRateMeter({ usdPerHour: 20, per: 'agent' });
    expect(perAgent.add([spend('a', 0, 15, 'x'), spend('b', 1, 15, 'y')])).toEqual([]);
    const perTenant = new CostRateMeter({ usdPerHour: 20, per: 'tenant' });
    const [first] = perTenant.add([spend('a', 0, 15, 'x'), spend('b', 1, 15, 'y')]);
    expect(first).toMatchObject({ agentName: '', detail: expect.stringMatching(/^tenant acme spent \$30\.00/) });
    const [again] = perTenant.add([spend('c', 2, 1, 'z')]);
    expect(again?.anomalyId).toBe(first?.anomalyId);
  });
});
