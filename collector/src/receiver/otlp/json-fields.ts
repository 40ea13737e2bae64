/**
 * Field readers for OTLP/JSON (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
 * lowerCamelCase keys (the proto snake_case names are accepted too), ids as hex, 64-bit integers
 * as decimal strings or numbers, enums as integers (names accepted too), unknown keys ignored.
 *
 * Type errors throw {@link JsonShapeProblem}; the decoders turn it into a rejected span or log
 * record when it happens inside one, or into an {@link OtlpDecodeError} for the whole body.
 */
import { jsonError } from './decode-error.js';

/** A JSON object as JSON.parse returns it. */
export type JsonObject = Record<string, unknown>;

/**
 * A value of the wrong JSON type. Not an Error: it is control flow between a field reader and
 * the decoder that decides whether it rejects one item or the body, and needs no stack trace.
 */
export class JsonShapeProblem {
  constructor(readonly reason: string) {}
}

const MAX_UINT64 = (1n << 64n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;
const UNSIGNED = /^\d+$/;
const SIGNED = /^-?\d+$/;
const HEX = /^[0-9a-fA-F]*$/;

/** True for a JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The field under its JSON name, else under its proto name; null counts as absent. */
export function field(o: JsonObject, jsonName: string, protoName: string): unknown {
  const value = o[jsonName];
  return value === undefined || value === null ? o[protoName] : value;
}

/** A repeated container field: absent or null is empty; anything but an array breaks the body. */
export function arrayAt(o: JsonObject, jsonName: string, protoName: string, path: string): unknown[] {
  const value = field(o, jsonName, protoName);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw jsonError(`${path}${jsonName} must be an array`);
  return value;
}

/** An element of a container array that must be an object, else the body is refused. */
export function objectAt(value: unknown, path: string): JsonObject {
  if (!isObject(value)) throw jsonError(`${path} must be an object`);
  return value;
}

/** A string field; absent is ''. */
export function stringField(o: JsonObject, jsonName: string, protoName: string): string {
  const value = field(o, jsonName, protoName);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new JsonShapeProblem(`${jsonName} must be a string, got ${describe(value)}`);
  return value;
}

/** A fixed64/uint64 field (timestamps) from a decimal string or a number; absent is 0. */
export function uint64Field(o: JsonObject, jsonName: string, protoName: string): bigint {
  const value = field(o, jsonName, protoName);
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'string' && UNSIGNED.test(value)) {
    const n = BigInt(value);
    if (n <= MAX_UINT64) return n;
  } else if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 64) {
    // Numbers beyond 2^53 arrive already rounded by JSON.parse; senders should use strings.
    return BigInt(value);
  }
  throw new JsonShapeProblem(`${jsonName} must be an unsigned 64-bit integer, got ${describe(value)}`);
}

/** A fixed32/uint32 field (flags) from a number or a decimal string; absent is 0. */
export function uint32Field(o: JsonObject, jsonName: string, protoName: string): number {
  const value = field(o, jsonName, protoName);
  if (value === undefined || value === null) return 0;
  const n = typeof value === 'string' && UNSIGNED.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff) return n;
  throw new JsonShapeProblem(`${jsonName} must be an unsigned 32-bit integer, got ${describe(value)}`);
}

/** An int64 (attribute `intValue`) as an exact decimal string, from a string or a number. */
export function int64Decimal(value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (Number.isSafeInteger(value)) return String(value);
    const n = BigInt(value);
    if (n >= MIN_INT64 && n <= MAX_INT64) return n.toString();
  } else if (typeof value === 'string' && SIGNED.test(value)) {
    const n = BigInt(value);
    if (n >= MIN_INT64 && n <= MAX_INT64) return n.toString();
  }
  throw new JsonShapeProblem(`intValue must be a 64-bit integer, got ${describe(value)}`);
}

/** A double from a number or a string (protobuf JSON writes NaN and ±Infinity as strings). */
export function doubleValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === 'NaN') return NaN;
    const n = Number(value);
    if (value.trim() !== '' && !Number.isNaN(n)) return n;
  }
  throw new JsonShapeProblem(`doubleValue must be a number, got ${describe(value)}`);
}

/**
 * An enum field: an integer, or its name in any case with or without the type prefix
 * (`SPAN_KIND_SERVER`, `server`). `names` is indexed by enum value. An unknown name gives 0, the
 * unspecified value of every OTLP enum.
 */
export function enumField(o: JsonObject, jsonName: string, protoName: string, prefix: string, names: readonly string[]): number {
  const value = field(o, jsonName, protoName);
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    if (SIGNED.test(value)) return Number(value);
    const upper = value.toUpperCase();
    return Math.max(0, names.indexOf(upper.startsWith(prefix) ? upper.slice(prefix.length) : upper));
  }
  throw new JsonShapeProblem(`${jsonName} must be an enum number or name, got ${describe(value)}`);
}

/** An id field as lowercase hex ('' when absent); its byte length is half the returned length. */
export function hexIdField(o: JsonObject, jsonName: string, protoName: string): string {
  const value = field(o, jsonName, protoName);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new JsonShapeProblem(`${jsonName} must be a hex string, got ${describe(value)}`);
  if (value.length % 2 !== 0 || !HEX.test(value)) {
    throw new JsonShapeProblem(`${jsonName} must be hex digits in pairs, got ${describe(value)}`);
  }
  return value.toLowerCase();
}

/** A short description of a bad value for a message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}
