import type { Attributes, AttributeValue } from '@opentelemetry/api';

/**
 * Lenient coercion of caller-supplied values into attribute values. Agent code passes whatever it
 * has (numbers where strings go, NaN, circular objects, megabyte prompts); each helper answers
 * `undefined` for a value it cannot use instead of throwing, and the caller then leaves the
 * attribute out.
 */

/** Longest plain text attribute (names, goals, reasons), in UTF-16 code units. */
export const MAX_TEXT = 8_192;
/** Longest captured content attribute (messages, tool arguments and results). */
export const MAX_CONTENT = 262_144;
/** Most items kept from a list attribute (decision options, finish reasons). */
export const MAX_ITEMS = 128;

/** `s` cut to `max` code units, without leaving half of a surrogate pair at the end. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** A string, or a finite number / boolean / bigint in decimal; anything else is undefined. '' is undefined. */
export function text(value: unknown, max = MAX_TEXT): string | undefined {
  let s: string;
  if (typeof value === 'string') s = value;
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    s = String(value);
  } else if (typeof value === 'boolean' || typeof value === 'bigint') s = String(value);
  else return undefined;
  return s === '' ? undefined : truncate(s, max);
}

/** A finite number from a number or numeric string, else undefined. */
export function finite(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A non-negative integer (token counts, attempts, capacity); fractions are rounded. */
export function count(value: unknown): number | undefined {
  const n = finite(value);
  return n === undefined || n < 0 ? undefined : Math.round(n);
}

/** A number in [0, 1] (confidence); outside values are dropped, not clamped. */
export function unitInterval(value: unknown): number | undefined {
  const n = finite(value);
  return n === undefined || n < 0 || n > 1 ? undefined : n;
}

/**
 * JSON text of any value: strings are kept as they are; circular references become
 * `"[Circular]"`, bigints decimal strings, functions and symbols are left out. Undefined when the
 * value is undefined or cannot be serialised at all (a throwing getter, say).
 */
export function json(value: unknown, max = MAX_CONTENT): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return truncate(value, max);
  try {
    const seen = new WeakSet<object>();
    const out = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[Circular]';
        seen.add(v);
      }
      return v;
    });
    return out === undefined ? undefined : truncate(out, max);
  } catch {
    return undefined;
  }
}

/** A list of strings from an array (non-strings as JSON) or a single value; empty lists are undefined. */
export function textList(value: unknown, max = MAX_TEXT): string[] | undefined {
  const items = Array.isArray(value) ? value.slice(0, MAX_ITEMS) : value === undefined || value === null ? [] : [value];
  const out: string[] = [];
  for (const item of items) {
    const s = text(item, max) ?? (typeof item === 'object' && item !== null ? json(item, max) : undefined);
    if (s !== undefined) out.push(s);
  }
  return out.length === 0 ? undefined : out;
}

/** Sets `attributes[key]` when `value` is defined: the one place optional attributes are added. */
export function put(attributes: Attributes, key: string, value: AttributeValue | undefined): void {
  if (value !== undefined) attributes[key] = value;
}

/**
 * Caller-supplied extra attributes, keeping only primitive values and homogeneous primitive arrays;
 * strings are truncated. Not an object: no attributes.
 */
export function extraAttributes(value: unknown): Attributes {
  const out: Attributes = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  let n = 0;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (++n > MAX_ITEMS) break;
    if (typeof v === 'string') out[key] = truncate(v, MAX_TEXT);
    else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') out[key] = v;
    else if (Array.isArray(v)) {
      const list = textList(v);
      if (list !== undefined) out[key] = list;
    }
  }
  return out;
}

/** The class name of a thrown value for `error.type` (low cardinality), `_OTHER` for non-errors. */
export function errorType(error: unknown): string {
  try {
    if (error instanceof Error) {
      const ctor = error.constructor?.name;
      return ctor && ctor !== 'Object' ? ctor : error.name || 'Error';
    }
  } catch {
    // A hostile error object (throwing getters): fall through.
  }
  return '_OTHER';
}

/** A short message for the span status. */
export function errorMessage(error: unknown): string {
  try {
    if (error instanceof Error) return truncate(String(error.message), MAX_TEXT);
    return text(error) ?? '';
  } catch {
    return '';
  }
}
