import type { AnomalyRow, Detected, SessionSnapshot } from '@agentflow/schemas';
import type { WriteOutcome } from '../errors.js';
import type { RowSink } from '../storage/batch-writer.js';
import { eventsFromAnomalies, type AgentIndex, type LiveHub } from '../live/index.js';

/** Someone told of every anomaly found or changed (alert delivery). */
export interface AnomalyListener {
  notify(rows: readonly AnomalyRow[]): void;
}

/** What the hub needs. */
export interface AnomalyHubDeps {
  writer: { write<Row>(sink: RowSink<Row>, rows: readonly Row[]): Promise<WriteOutcome> };
  sink: RowSink<AnomalyRow>;
  live: LiveHub;
  /** Names the agent of a session whose anomaly was found before its agent span arrived (from start records). */
  agents?: AgentIndex | undefined;
  listeners?: readonly AnomalyListener[];
  log: { warn(o: object, m: string): void; error(o: object, m: string): void };
}

/** One session's state as the hub holds it. */
interface Watched {
  open: Map<string, AnomalyRow>;
  snapshot: SessionSnapshot | undefined;
}

/**
 * Where every anomaly goes, whoever found it (the assembly thread's live detection, the stuck
 * job, a rebuild): written to `anomalies`, streamed as `anomaly` live events, handed to alert
 * delivery, and kept per session with the session's latest figures so the guard answers from
 * memory, without waiting for a write or a query. Bounded: the least recently touched sessions
 * are forgotten first (the guard then reads storage).
 */
export class AnomalyHub {
  private readonly sessions = new Map<string, Watched>();
  private readonly s = { published: 0, writeFailures: 0 };

  constructor(private readonly deps: AnomalyHubDeps, private readonly maxSessions = 100_000) {}

  stats(): { published: number; writeFailures: number; watchedSessions: number } {
    return { ...this.s, watchedSessions: this.sessions.size };
  }

  /** Takes what a detection pass found. Synchronous and cheap; the write is not waited for. */
  publish(found: Partial<Detected>): void {
    const anomalies = found.anomalies ?? [];
    for (const a of anomalies) {
      if (a.agentName === '' && a.sessionId !== '') a.agentName = this.deps.agents?.agentOf(a.sessionId)?.agent ?? '';
      const w = this.touch(a.tenantId, a.sessionId);
      if (a.resolvedAt === null) w.open.set(a.anomalyId, a);
      else w.open.delete(a.anomalyId);
    }
    for (const snapshot of found.sessions ?? []) this.touch(snapshot.tenantId, snapshot.sessionId).snapshot = snapshot;
    if (anomalies.length === 0) return;
    this.s.published += anomalies.length;
    this.deps.writer.write(this.deps.sink, anomalies).then(
      (outcome) => {
        if (outcome.status === 'committed') return;
        this.s.writeFailures++;
        this.deps.log.error({ outcome, rows: anomalies.length }, 'anomalies not written; run agentflow rebuild to detect them again');
      },
      (err: unknown) => this.deps.log.error({ err }, 'anomalies not written'),
    );
    this.deps.live.publish(eventsFromAnomalies(anomalies));
    for (const listener of this.deps.listeners ?? []) {
      try {
        listener.notify(anomalies);
      } catch (err) {
        this.deps.log.warn({ err }, 'an anomaly listener failed');
      }
    }
  }

  /** A session's open anomalies and latest figures, when the hub holds them. */
  session(tenantId: string, sessionId: string): { open: AnomalyRow[]; snapshot: SessionSnapshot | undefined } | undefined {
    const w = this.sessions.get(`${tenantId}\u0000${sessionId}`);
    return w && { open: [...w.open.values()], snapshot: w.snapshot };
  }

  private touch(tenantId: string, sessionId: string): Watched {
    const key = `${tenantId}\u0000${sessionId}`;
    let w = this.sessions.get(key);
    if (w) this.sessions.delete(key);
    else w = { open: new Map(), snapshot: undefined };
    // Re-inserted: Map order is then least recently touched first.
    this.sessions.set(key, w);
    if (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    return w;
  }
}
