import type { StartedAgent } from '../../assembly/open-parents.js';

/** One start record's agent, keyed by tenant and span. */
export interface StartedAgentRecord extends StartedAgent {
  tenantId: string;
  spanId: string;
}

/**
 * The agents that started recently, by their span, from their start records: a running session
 * is known only by the parent id its children carry, and this names it — its agent, type and
 * workflow, which choose its thresholds and budgets. Bounded: the oldest are forgotten first
 * (sessions that old have long been named by their own span, or are stuck).
 */
export class StartedAgents {
  private readonly agents = new Map<string, StartedAgent>();

  constructor(private readonly capacity = 100_000) {}

  add(records: readonly StartedAgentRecord[]): void {
    for (const { tenantId, spanId, ...agent } of records) {
      const key = `${tenantId}\u0000${spanId}`;
      this.agents.delete(key);
      this.agents.set(key, agent);
    }
    while (this.agents.size > this.capacity) {
      const oldest = this.agents.keys().next().value;
      if (oldest === undefined) break;
      this.agents.delete(oldest);
    }
  }

  get(tenantId: string, spanId: string): StartedAgent | undefined {
    return this.agents.get(`${tenantId}\u0000${spanId}`);
  }
}
