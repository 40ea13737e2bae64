import type { CanonicalSpan } from '../mapping/canonical-span.js';
import type { CostSource } from '@agentflow/schemas';
import { resolveCost } from './compute-cost.js';
import type { PriceBook } from './price-book.js';

const NO_USAGE = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };

/**
 * Prices a call span for assembly: a provided cost wins; otherwise tokens × the price of the
 * response model (what actually ran), falling back to the requested model; an unpriced model is
 * cost 0 with source `unknown`, so sums stay numbers and the gap stays visible.
 */
export function createSpanCostResolver(book: PriceBook): (span: CanonicalSpan) => { costUsd: number; source: CostSource } {
  return (span) => {
    const usage = span.usage ?? NO_USAGE;
    const at = span.startTimeUnixNano;
    let result = resolveCost(span.providedCostUsd, usage, span.responseModel || span.requestModel, span.provider, at, book, span.tenantId);
    if (result.source === 'unknown' && span.responseModel !== '' && span.requestModel !== '' && span.requestModel !== span.responseModel) {
      result = resolveCost(null, usage, span.requestModel, span.provider, at, book, span.tenantId);
    }
    return { costUsd: result.costUsd ?? 0, source: result.source };
  };
}
