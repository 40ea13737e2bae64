import type { ActionRow } from '@agentflow/schemas';
import { actionTypeOf } from '../../assembly/derive-actions.js';
import { scoreResponse, type CheckResult, type QualityOptions } from '../../assembly/quality/index.js';
import type { SessionNode } from '../../assembly/session-tree.js';
import type { Finding } from '../loops/index.js';

/** How each failed check reads in an anomaly's detail ("gpt-4o-mini answer refused: …"). */
const VERB: Record<CheckResult['check'], string> = {
  empty: 'was empty',
  error_pattern: 'was an error',
  refusal: 'refused',
  too_short: 'was too short',
  too_long: 'was too long',
  invalid_json: 'was invalid JSON',
  self_correction: 'corrected itself',
};

/**
 * One `quality.poor_response` finding per model call whose answer scores under the threshold,
 * its evidence that call's span. With `actions` (the trace was just derived), calls already
 * scored above the threshold are not checked again; the checks run once more on the poor ones
 * only to name what they found. The finding is final when the call ends: resolved at once.
 */
export function qualityFindings(session: SessionNode, quality: QualityOptions, actions?: readonly ActionRow[]): Finding[] {
  const poorIds = actions && new Set(actions.filter((a) => a.qualityScore !== null && a.qualityScore < quality.poorThreshold).map((a) => a.actionId));
  if (poorIds && poorIds.size === 0) return [];
  const out: Finding[] = [];
  const spans = session.implicit ? [session.span, ...session.members] : session.members;
  for (const span of spans) {
    if (span.outputContent === '' || (poorIds && !poorIds.has(span.spanId))) continue;
    const actionType = actionTypeOf(span);
    if (actionType === null) continue;
    const verdict = scoreResponse(span, actionType, quality);
    if (!verdict || verdict.score >= quality.poorThreshold) continue;
    const failed = verdict.results.filter((r) => !r.passed);
    const model = span.responseModel || span.requestModel || 'model';
    const detail = `${model} answer ${failed.map((r) => `${VERB[r.check]}${r.reason.startsWith('"') ? `: ${r.reason}` : ` (${r.reason})`}`).join('; ')}`
      + ` (score ${verdict.score.toFixed(2)})`;
    out.push({
      kind: 'quality.poor_response', severity: 'warning', detail, evidence: [span.spanId], count: 1,
      discriminator: '', detectedNs: span.endTimeUnixNano, lastSeenNs: span.endTimeUnixNano, resolvedNs: span.endTimeUnixNano,
    });
  }
  return out;
}
