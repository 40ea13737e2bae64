/**
 * Rendering of OTLP attribute values as strings, the way the OpenTelemetry Collector's ClickHouse
 * exporter stores them (pdata `Value.AsString`), shared by the protobuf and JSON decoders.
 *
 * AsString renders arrays and maps with Go's `encoding/json`, which sorts map keys, escapes
 * `<`, `>`, `&`, U+2028 and U+2029, and formats floats like ECMAScript's Number-to-String, so the
 * JSON helpers here follow those rules rather than plain `JSON.stringify`.
 */
import type { AttributeMap } from '@agentflow/schemas';

/** AnyValue nesting (arrays and maps inside values) beyond which a body is refused. */
export const MAX_VALUE_DEPTH = 32;

const TWO_POW_32 = 4294967296;

/**
 * A double as AsString renders it: the shortest decimal that round-trips, as ECMAScript prints
 * it (AsString copies that algorithm). Go prints −0 as `-0`; NaN and ±Infinity, which AsString
 * renders as an error text, become `NaN`, `Infinity`, `-Infinity`.
 */
export function formatDouble(value: number): string {
  if (value === 0 && 1 / value < 0) return '-0';
  return String(value);
}

/** A double inside rendered JSON: as {@link formatDouble}, but `null` where JSON has no number. */
export function jsonDouble(value: number): string {
  // Go's json.Marshal fails on NaN/±Inf and AsString then yields ''; null keeps the rest of the
  // array or map instead.
  return Number.isFinite(value) ? formatDouble(value) : 'null';
}

/**
 * A protobuf int64 given as its two's-complement 32-bit halves, as a decimal string. Exact for the
 * whole int64 range: only values beyond 2^53 take the BigInt path.
 */
export function int64ToDecimal(lo: number, hi: number): string {
  if (hi === 0) return String(lo >>> 0);
  if (hi < 0x200000) return String(hi * TWO_POW_32 + (lo >>> 0));
  // Negative with magnitude ≤ 2^53: (hi − 2^32)·2^32 + lo is exact in a double.
  if (hi >>> 0 >= 0xffe00000) return String(((hi >>> 0) - TWO_POW_32) * TWO_POW_32 + (lo >>> 0));
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString();
}

const GO_ESCAPED = /[<>&\u2028\u2029]/;
const GO_ESCAPED_ALL = /[<>&\u2028\u2029]/g;
const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** A JSON string literal escaped as Go's `encoding/json` escapes it. */
export function jsonString(value: string): string {
  const quoted = JSON.stringify(value);
  return GO_ESCAPED.test(quoted) ? quoted.replace(GO_ESCAPED_ALL, (c) => GO_ESCAPES[c] ?? c) : quoted;
}

/**
 * A JSON object from key/rendered-value pairs: duplicate keys keep the last value and keys are
 * sorted, as Go marshals a `map[string]any`.
 */
export function jsonObject(entries: Map<string, string>): string {
  if (entries.size === 0) return '{}';
  const keys = [...entries.keys()].sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (i > 0) out += ',';
    out += jsonString(key) + ':' + entries.get(key)!;
  }
  return out + '}';
}

/**
 * A new, empty attribute map. It has no prototype: any key from the wire, `__proto__` or
 * `constructor` included, is an ordinary entry, and looking up an absent key gives undefined
 * rather than an Object.prototype member. (V8 fills such objects at least as fast as plain ones.)
 */
export function newAttributeMap(): AttributeMap {
  return Object.create(null) as AttributeMap;
}
