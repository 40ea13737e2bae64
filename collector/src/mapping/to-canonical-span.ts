import type { SpanRow } from '@agentflow/schemas';
import { baseSpan } from './base-span.js';
import type { CanonicalSpan, SpanCategory } from './canonical-span.js';
import { hasAgentflow, readAgentflow } from './dialects/agentflow.js';
import { DIALECT_READERS } from './dialects/registry.js';
import { overlay, type DialectReader } from './dialects/types.js';

/** Categories whose spans are one call with its own usage; everywhere else usage is a repeated total. */
const CALL_CATEGORIES: ReadonlySet<SpanCategory> = new Set(['llm', 'embedding']);

/**
 * Normalises one raw span into the canonical view, whatever framework emitted it: the first
 * dialect reader that recognises the span reads it, then agentflow's own extensions apply on top.
 *
 * Pure and total: no I/O, clock or randomness, and it never throws. A span no reader recognises
 * (or one a reader fails on) comes back as category 'other', dialect 'none', with its identity,
 * status, error and general ids.
 */
export function toCanonicalSpan(row: SpanRow): CanonicalSpan {
  let base: CanonicalSpan;
  try {
    base = baseSpan(row);
  } catch {
    return minimalSpan(row);
  }
  const reader = DIALECT_READERS.find((r) => safeDetect(r, row));
  let span = base;
  if (reader !== undefined) {
    try {
      // Not `{ ...read, dialect }`: copying the reader's 30-odd fields into a new object per span
      // was a fifth of mapping time.
      span = overlay(base, reader.read(row, base));
      span.dialect = reader.name;
    } catch {
      span = base;
    }
  }
  try {
    if (hasAgentflow(row)) {
      span = overlay(span, readAgentflow(row, span.category));
      if (span.dialect === 'none') span = { ...span, dialect: 'agentflow' };
    }
  } catch {
    // Extensions are additive: a malformed one leaves the dialect's reading as it was.
  }
  return finalise(span);
}

function safeDetect(reader: DialectReader, row: SpanRow): boolean {
  try {
    return reader.detect(row);
  } catch {
    return false;
  }
}

/**
 * Usage and a provided cost belong to the call itself. Frameworks repeat run totals on run, step
 * and agent spans (the AI SDK's `ai.generateText`, OpenInference chains, the Agents SDK's turns,
 * v7's `invoke_agent`); counting them would double every figure, so they are dropped there.
 */
function finalise(span: CanonicalSpan): CanonicalSpan {
  if (CALL_CATEGORIES.has(span.category)) return span;
  if (span.usage === null && span.providedCostUsd === null && span.requestedToolCalls.length === 0) return span;
  return { ...span, usage: null, providedCostUsd: null, requestedToolCalls: [] };
}

/** The identity alone, for a row too malformed even for the base reading. */
function minimalSpan(row: SpanRow): CanonicalSpan {
  return baseSpan({ ...row, attributes: {}, resourceAttributes: {}, events: [], links: [], statusCode: 'Unset' });
}
