import type { Anomaly } from '../api/anomalies/index.js';
import type { TimelineItem } from '../api/sessions/index.js';
import { formatTime } from './session-format.js';
import { renderTable } from './table.js';

/**
 * Anomalies in `agentflow show`: a section listing them, and marks on the timeline — a `!` in
 * the margin of every action that is evidence of one, and a `!` line with the anomaly's kind and
 * detail right after the last of its evidence actions (where it became evident). An anomaly with
 * no evidence among the session's actions (a stuck session, a budget) is marked where it was
 * detected, among the timeline's entries by time.
 */

/** What to add to the timeline: items to flag in the margin, and lines to print after an item (by index). */
export interface TimelineMarks {
  flagged: ReadonlySet<number>;
  after: ReadonlyMap<number, readonly string[]>;
}

/** Where each anomaly goes on a timeline of `items`. */
export function timelineMarks(items: readonly TimelineItem[], anomalies: readonly Anomaly[]): TimelineMarks {
  const flagged = new Set<number>();
  const after = new Map<number, string[]>();
  const actionAt = new Map<string, number>();
  items.forEach((item, i) => {
    if (item.kind === 'action') actionAt.set(item.action_id, i);
  });
  for (const a of anomalies) {
    const evidence = a.evidence.map((id) => actionAt.get(id)).filter((i): i is number => i !== undefined);
    for (const i of evidence) flagged.add(i);
    // ISO times with nine fraction digits sort as text.
    const at = evidence.length > 0 ? Math.max(...evidence) : lastIndexAtOrBefore(items, a.detected_at);
    const sequences = evidence.sort((x, y) => x - y).map((i) => `#${(items[i] as Extract<TimelineItem, { kind: 'action' }>).sequence}`);
    after.set(at, [...(after.get(at) ?? []), markerLine(a, sequences)]);
  }
  return { flagged, after };
}

/** The `anomalies` section: one row per anomaly, open first, as the API lists them. */
export function anomalySection(anomalies: readonly Anomaly[]): string[] {
  if (anomalies.length === 0) return ['  (none detected)'];
  const table = renderTable(['state', 'severity', 'kind', 'count', 'detected', 'detail'], anomalies.map((a) => ({
    state: a.resolved_at === null ? 'open' : 'resolved', severity: a.severity, kind: a.kind, count: a.count,
    detected: formatTime(a.detected_at), detail: a.detail,
  })));
  return table.split('\n').map((line) => `  ${line}`);
}

/** `anomalies` in the header: how many, how many open. */
export function anomalyCount(anomalies: readonly Anomaly[]): string {
  const open = anomalies.filter((a) => a.resolved_at === null).length;
  return anomalies.length === 0 ? '' : `${anomalies.length} (${open} open)`;
}

function markerLine(a: Anomaly, sequences: readonly string[]): string {
  const state = a.resolved_at === null ? 'open' : 'resolved';
  return `${a.kind} (${a.severity}, ${state}) ×${a.count}: ${a.detail}${sequences.length > 0 ? `  [${sequences.join(' ')}]` : ''}`;
}

function lastIndexAtOrBefore(items: readonly TimelineItem[], at: string): number {
  let found = 0;
  items.forEach((item, i) => {
    if (item.at <= at) found = i;
  });
  return found;
}
