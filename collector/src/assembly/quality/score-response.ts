import type { CanonicalSpan } from '../../mapping/canonical-span.js';
import { checkAnswer, DEFAULT_QUALITY_OPTIONS, type QualityOptions, type QualityVerdict } from './checks.js';

/**
 * The quality of one model call's answer, or null when there is nothing to judge: not a model
 * call, its output was not captured (content capture is off by default), or it only asked for
 * tools. Pure and cheap (regular expressions over the first few hundred characters, one JSON
 * parse when the output is JSON): it runs on the ingest path for every captured model call.
 */
export function scoreResponse(span: CanonicalSpan, actionType: string, options: QualityOptions = DEFAULT_QUALITY_OPTIONS): QualityVerdict | null {
  if (actionType !== 'llm_call' || span.outputContent === '') return null;
  return checkAnswer(span.outputContent, span.responseFormat === 'json', options);
}
