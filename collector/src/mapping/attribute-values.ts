import type { AttributeMap } from '@agentflow/schemas';

/**
 * Typed reads of stored attribute values. Every value in a {@link AttributeMap} is a string (numbers
 * in decimal, booleans as `true`/`false`, arrays and maps as JSON), so each helper parses leniently
 * and answers "absent" rather than throwing: mapping must never fail on a malformed attribute.
 */

/** The value, or '' when absent. */
export function str(attrs: AttributeMap, key: string): string {
  return attrs[key] ?? '';
}

/** The first present, non-empty value among `keys`, or ''. */
export function firstStr(attrs: AttributeMap, ...keys: string[]): string {
  for (const key of keys) {
    const v = attrs[key];
    if (v !== undefined && v !== '') return v;
  }
  return '';
}

/** A finite number, or null when absent or not numeric. */
export function num(attrs: AttributeMap, key: string): number | null {
  return parseNumber(attrs[key]);
}

/** A non-negative integer count (tokens), or null when absent or not numeric. */
export function count(attrs: AttributeMap, key: string): number | null {
  const n = num(attrs, key);
  return n === null || n < 0 ? null : Math.round(n);
}

/** `Number()` of a trimmed string, null for '', undefined or NaN/∞. */
export function parseNumber(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** JSON.parse, or undefined when the text is not JSON. */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A plain object (not an array), or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A string field of an object, '' otherwise; numbers are rendered in decimal. */
export function field(obj: Record<string, unknown> | undefined, key: string): string {
  const v = obj?.[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return '';
}

/**
 * A string list from an attribute: a JSON array (how the exporter stores array attributes), else a
 * single non-empty value as a one-element list.
 */
export function stringList(attrs: AttributeMap, key: string): string[] {
  const raw = attrs[key];
  if (raw === undefined || raw === '') return [];
  const parsed = parseJson(raw);
  if (Array.isArray(parsed)) return parsed.filter((v): v is string => typeof v === 'string');
  return [raw];
}

/** Values of every key that starts with `prefix`, keyed by the rest of the key. */
export function withPrefix(attrs: AttributeMap, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith(prefix)) out.set(key.slice(prefix.length), value);
  }
  return out;
}

/** True when any key starts with `prefix`. */
export function hasPrefix(attrs: AttributeMap, prefix: string): boolean {
  for (const key in attrs) if (key.startsWith(prefix)) return true;
  return false;
}

/** The first non-empty value among `names` in a map of sub-keys (association properties, metadata…). */
export function pick(values: Map<string, string> | Record<string, unknown> | undefined, names: readonly string[]): string {
  if (values === undefined) return '';
  for (const name of names) {
    const v = values instanceof Map ? values.get(name) : field(values, name);
    if (v !== undefined && v !== '') return v;
  }
  return '';
}
