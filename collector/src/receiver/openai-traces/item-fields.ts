/**
 * Typed reads of the fields of one export item. Identity and structure (ids, times, span type,
 * names) must have the SDK's types: a wrong one throws {@link JsonShapeProblem}, which rejects
 * that item only. Payloads (tool input and output, model messages, custom data, usage) are taken
 * as they come, since the SDK passes user values through.
 */
import type { AttributeMap } from '@agentflow/schemas';
import { describe, isObject, JsonShapeProblem, type JsonObject } from '../otlp/json-fields.js';
import { formatDouble, jsonString } from '../otlp/value-format.js';

/** A string field; absent or null is ''. */
export function stringAt(o: JsonObject, key: string, path: string): string {
  const value = o[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new JsonShapeProblem(`${path}${key} must be a string, got ${describe(value)}`);
  return value;
}

/** A string field that must be present and non-empty. */
export function requiredStringAt(o: JsonObject, key: string, path: string): string {
  const value = stringAt(o, key, path);
  if (value === '') throw new JsonShapeProblem(`${path}${key} is required`);
  return value;
}

/** An object field; absent or null is undefined. */
export function objectAt(o: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new JsonShapeProblem(`${path}${key} must be an object, got ${describe(value)}`);
  return value;
}

/** A list of strings (tool names, handoff targets); absent or null is undefined. */
export function stringListAt(o: JsonObject, key: string, path: string): string[] | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new JsonShapeProblem(`${path}${key} must be an array of strings, got ${describe(value)}`);
  }
  return value as string[];
}

/** A payload object, or undefined when the value is anything else. */
export function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

/** A finite number in a payload, or undefined. */
export function numberIn(o: JsonObject | undefined, key: string): number | undefined {
  const value = o?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * A payload as an attribute value: a string as is (the SDK often passes JSON it already
 * serialised), anything else as JSON; '' when absent.
 */
export function payloadText(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    // Only a structure nested past the stack limit gets here: JSON.parse built it, so no cycles.
    throw new JsonShapeProblem(`${path} is nested too deeply`);
  }
}

/** A payload's parsed JSON when it arrived as serialised text, else the value itself. */
export function parsedPayload(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** Sets a string attribute unless it is empty. */
export function setString(attributes: AttributeMap, key: string, value: string): void {
  if (value !== '') attributes[key] = value;
}

/** Sets a numeric attribute, rendered as the OTLP decoders render numbers, unless absent. */
export function setNumber(attributes: AttributeMap, key: string, value: number | undefined): void {
  if (value !== undefined) attributes[key] = formatDouble(value);
}

/** Sets a string-array attribute, rendered as the OTLP decoders render array values (`["a","b"]`). */
export function setStringList(attributes: AttributeMap, key: string, values: readonly string[] | undefined): void {
  if (values !== undefined) attributes[key] = `[${values.map(jsonString).join(',')}]`;
}

/**
 * A metadata value as an attribute value: strings as is, numbers and booleans as the OTLP
 * decoders render them, anything else as JSON; undefined for null.
 */
export function scalarText(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return formatDouble(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return payloadText(value, path);
}
