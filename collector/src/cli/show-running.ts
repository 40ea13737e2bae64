import type { RunningSessionDetail } from '../api/sessions/index.js';
import { formatDuration, formatTime, headerLines } from './session-format.js';
import { anomalyCount, anomalySection } from './show-anomalies.js';

/**
 * `agentflow show` of a session still running: what its start record says, how long it has been
 * idle and whether its process is alive, the calls that already ended under it, and its anomalies.
 */
export function renderRunningSession(detail: RunningSessionDetail): string {
  const { session: s, spans } = detail;
  const { lines, field } = headerLines(s, s.process_status);
  field('started', `${formatTime(s.started_at)} UTC, still running`);
  field('doing', `${s.current_activity} (idle ${formatDuration(s.idle_ms)})`);
  field('process', `${s.service_instance_id || s.service_name} ${s.instance_status || 'sends no heartbeats'}`);
  field('workflow', s.workflow_name);
  field('conversation', s.conversation_id);
  field('anomalies', anomalyCount(detail.anomalies));
  lines.push('', `ended so far (${spans.length} span${spans.length === 1 ? '' : 's'}; the rest arrive as they end)`);
  for (const span of spans) {
    const failed = span.status_code === 'Error' ? `  FAILED${span.status_message ? `: ${span.status_message}` : ''}` : '';
    lines.push(`  ${formatTime(span.start).slice(11)}  ${span.name}  (${formatDuration(span.duration_ms)})${failed}`);
  }
  lines.push('', 'anomalies', ...anomalySection(detail.anomalies));
  return lines.join('\n');
}
