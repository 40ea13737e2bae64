import { assistantText } from './assistant-text.js';
import { ERROR_PATTERNS, REFUSAL_PATTERNS, REFUSAL_WINDOW, SCAN_WINDOW, SELF_CORRECTION_PATTERNS } from './patterns.js';

/** The checks, by the name stored in `agent_actions.quality_issues` when they fail. */
export const QUALITY_CHECKS = ['empty', 'error_pattern', 'refusal', 'too_short', 'too_long', 'invalid_json', 'self_correction'] as const;
export type QualityCheckName = (typeof QUALITY_CHECKS)[number];

/**
 * Checks whose failure means the answer did not do its job (nothing, an error, a refusal, JSON
 * that does not parse). Each such failure halves the score, so one of them alone puts an answer
 * under the default threshold (0.7), while one soft failure (a short answer) does not.
 */
const CRITICAL: ReadonlySet<QualityCheckName> = new Set(['empty', 'error_pattern', 'refusal', 'invalid_json']);

/** How the checks run. */
export interface QualityOptions {
  /** An answer of fewer words is `too_short` (default 5). */
  minWords: number;
  /** An answer of more words is `too_long` (default 5,000). */
  maxWords: number;
  /** Calls scoring under this are poor responses (0–1, default 0.7). */
  poorThreshold: number;
  /** Checks that do not run. */
  disabled: ReadonlySet<QualityCheckName>;
}

export const DEFAULT_QUALITY_OPTIONS: QualityOptions = { minWords: 5, maxWords: 5_000, poorThreshold: 0.7, disabled: new Set() };

/** One check's outcome; `reason` says what was found when it failed ('' when it passed). */
export interface CheckResult {
  check: QualityCheckName;
  passed: boolean;
  reason: string;
}

/** A scored answer: `score` 0–1, `issues` the failed checks in {@link QUALITY_CHECKS} order. */
export interface QualityVerdict {
  score: number;
  issues: QualityCheckName[];
  results: CheckResult[];
}

/**
 * Runs the checks over one captured model output. `jsonRequested` when the call asked for JSON
 * (a response format). Returns null when no check applies: the output held only tool calls (the
 * model acted rather than answered), or every applicable check is disabled.
 *
 * The score is the share of applicable checks passed, halved for each critical failure (see
 * {@link CRITICAL}). Which checks apply: on an empty answer only `empty`; on JSON (requested,
 * or meant: it starts with `{`/`[` or a ```json fence) `invalid_json` instead of the word counts.
 */
export function checkAnswer(output: string, jsonRequested: boolean, options: QualityOptions = DEFAULT_QUALITY_OPTIONS): QualityVerdict | null {
  const { text, toolCallsOnly, validJson } = assistantText(output);
  if (toolCallsOnly) return null;
  const results: CheckResult[] = [];
  const run = (check: QualityCheckName, failure: () => string) => {
    if (options.disabled.has(check)) return;
    const reason = failure();
    results.push({ check, passed: reason === '', reason });
  };
  const trimmed = text.trim();
  run('empty', () => (trimmed === '' ? 'empty answer' : ''));
  if (trimmed !== '') {
    run('error_pattern', () => quoteMatch(trimmed, ERROR_PATTERNS, SCAN_WINDOW));
    run('refusal', () => quoteMatch(trimmed, REFUSAL_PATTERNS, REFUSAL_WINDOW));
    const json = jsonBody(trimmed);
    if (jsonRequested || json !== null) {
      run('invalid_json', () => (validJson || isJson(json ?? trimmed) ? '' : 'answer is not valid JSON'));
    } else {
      const words = wordCount(trimmed, options.maxWords + 1);
      run('too_short', () => (words < options.minWords ? `${words} word${words === 1 ? '' : 's'}` : ''));
      run('too_long', () => (words > options.maxWords ? `more than ${options.maxWords} words` : ''));
    }
    run('self_correction', () => quoteMatch(trimmed, SELF_CORRECTION_PATTERNS, SCAN_WINDOW));
  }
  if (results.length === 0) return null;
  let passed = 0;
  let criticalFailures = 0;
  const issues: QualityCheckName[] = [];
  for (const r of results) {
    if (r.passed) passed += 1;
    else {
      issues.push(r.check);
      if (CRITICAL.has(r.check)) criticalFailures += 1;
    }
  }
  return { score: (passed / results.length) / 2 ** criticalFailures, issues, results };
}

/** The failure's reason for the first pattern found within `window` characters: the matched phrase, quoted. */
function quoteMatch(text: string, patterns: readonly RegExp[], window: number): string {
  const scope = text.length > window ? text.slice(0, window) : text;
  for (const pattern of patterns) {
    const m = pattern.exec(scope);
    if (m) return `"${excerpt(scope, m.index)}"`;
  }
  return '';
}

/** Up to ~60 characters from a match to the end of its sentence, for a detail a person can read. */
function excerpt(text: string, at: number): string {
  const rest = text.slice(at, at + 80);
  const end = rest.search(/[.!?\n]/);
  const cut = end >= 0 ? rest.slice(0, end) : rest.slice(0, 60);
  return cut.trim();
}

/** The JSON an answer means to be: its ```json fenced block, or the whole answer when it starts like JSON; null otherwise. */
function jsonBody(text: string): string | null {
  if (text.startsWith('{') || text.startsWith('[')) return text;
  const fence = /^```json\s*\n([\s\S]*?)(?:```\s*$|$)/i.exec(text);
  return fence ? (fence[1] ?? '') : null;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Whitespace-separated words, counting stops at `cap` (a long answer need not be walked to its end). */
function wordCount(text: string, cap: number): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length && words < cap; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13 || c === 160;
    if (!space && !inWord) words += 1;
    inWord = !space;
  }
  return words;
}
