import { createHash } from 'node:crypto';

/**
 * Canonical keys for loop detection: two calls with the same key asked for the same thing.
 * Arguments are normalised so that what an agent cannot help changing between two identical
 * requests does not hide a loop: key order and whitespace, the case of URLs and search queries,
 * and volatile values (request ids, timestamps, nonces) that runtimes stamp on every call.
 */

/** Argument keys whose values change on every call by design. */
const VOLATILE_KEY = /^(nonce|timestamp|ts|time|now|datetime|date_time|request_?id|idempotency_?key|trace_?id|span_?id|uuid|cache_?buster|_t|random|call_?id|tool_?call_?id|created_?at|sent_?at)$/i;
/** Keys whose string values are looked up case-insensitively: search queries and addresses. */
const QUERY_KEY = /^(q|query|queries|search|search_?query|keywords?|url|uri|href|link)$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const URL_VALUE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Hex characters kept of a SHA-256: 64 bits tell one session's calls apart. */
const KEY_CHARS = 16;

/** A short stable hash of a canonical text, for ids that are stored (anomaly ids). */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, KEY_CHARS);
}

/**
 * A fast 53-bit hash (cyrb53) for keys that live only in memory while a session is looked at:
 * every action is keyed on every pass, and SHA-256 through node:crypto cost more than the rules.
 */
export function fastHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The canonical text of tool arguments (or any JSON payload): keys sorted at every depth,
 * strings trimmed, URLs and query values lower-cased, volatile keys dropped and ISO date-times
 * blanked. Text that is not JSON is trimmed and its whitespace folded.
 */
export function canonicalArguments(payload: string): string {
  const text = payload.trim();
  if (text === '') return '';
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
    // Some frameworks send the arguments as a JSON string holding JSON.
    if (typeof value === 'string') value = tryParse(value);
  } catch {
    return text.replace(/\s+/g, ' ');
  }
  return JSON.stringify(normalise(value, ''));
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function normalise(value: unknown, key: string): unknown {
  if (typeof value === 'string') {
    const s = value.trim();
    // A time of day stamped on a call changes with every call; a UUID under an ordinary key names
    // the record asked for (under a volatile key, such as request_id, the key is dropped).
    if (ISO_TIME.test(s)) return '';
    return QUERY_KEY.test(key) || URL_VALUE.test(s) ? s.toLowerCase() : s;
  }
  if (Array.isArray(value)) return value.map((v) => normalise(v, key));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    if (VOLATILE_KEY.test(k)) continue;
    out[k] = normalise((value as Record<string, unknown>)[k], k);
  }
  return out;
}

/**
 * The key of one action: its type, what it ran (tool, agent or model) and its canonical
 * arguments. `fallbackHash` (the mapping's hash of the raw arguments) stands in when the
 * arguments themselves were not captured.
 */
export function actionKey(actionType: string, name: string, argumentsText: string, fallbackHash: string): string {
  const args = argumentsText !== '' ? canonicalArguments(argumentsText) : fallbackHash;
  return fastHash(`${actionType}\u0000${name}\u0000${args}`);
}

/**
 * What an action returned, as a key: the error type for a failure, else the mapping's hash of
 * the result (JSON with sorted keys: results are compared for equality only, and hashing a
 * result twice was most of detection's cost), else the canonical result; '' when nothing about
 * the result was captured.
 */
export function resultKey(failed: boolean, errorType: string, resultText: string, resultHash: string): string {
  if (failed) return `error:${errorType || 'error'}`;
  if (resultHash !== '') return resultHash;
  return resultText === '' ? '' : fastHash(canonicalArguments(resultText));
}
