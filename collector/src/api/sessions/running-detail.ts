import type { ClickHouseClient } from '@clickhouse/client';
import { anomaliesOfSession } from '../anomalies/session-anomalies.js';
import type { Anomaly } from '../anomalies/anomaly-rows.js';
import { findRunningSession, type RunningSession } from './running-sessions.js';
import { traceSpans } from './trace-spans.js';

/** A span that ended under a running session, as far as it got. */
export interface EndedSpan {
  span_id: string;
  parent_span_id: string;
  name: string;
  start: string;
  end: string;
  duration_ms: number;
  status_code: string;
  status_message: string;
}

/**
 * Answer of `GET /sessions/:id` for a session still running: what its start record says, the
 * spans that already ended under it (its model and tool calls so far, in start order), and its
 * anomalies. Its derived records come once its agent span ends.
 */
export interface RunningSessionDetail {
  running: true;
  session: RunningSession;
  spans: EndedSpan[];
  anomalies: Anomaly[];
}

/** The running session with this id and what it did so far, or null when the tenant has none running. */
export async function loadRunningDetail(client: ClickHouseClient, tenant: string, sessionId: string): Promise<RunningSessionDetail | null> {
  const session = await findRunningSession(client, tenant, sessionId);
  if (!session) return null;
  const [trace, anomalies] = await Promise.all([traceSpans(client, tenant, session.trace_id), anomaliesOfSession(client, tenant, sessionId)]);
  const parentOf = new Map(trace.spans.map((s) => [s.span_id, s.parent_span_id]));
  // Under the session: its span is among the ancestors (its own span has not arrived: it is running).
  const under = (spanId: string): boolean => {
    for (let id = parentOf.get(spanId), depth = 0; id !== undefined && id !== '' && depth < 10_000; id = parentOf.get(id), depth++) {
      if (id === sessionId) return true;
    }
    return false;
  };
  const spans = trace.spans.filter((s) => under(s.span_id)).map((s) => ({
    span_id: s.span_id, parent_span_id: s.parent_span_id, name: s.name, start: s.start, end: s.end, duration_ms: s.duration_ms,
    status_code: s.status_code, status_message: s.status_message,
  }));
  return { running: true, session, spans, anomalies };
}
