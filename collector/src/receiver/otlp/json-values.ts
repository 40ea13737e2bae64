/**
 * OTLP/JSON readers for the common messages (AnyValue, KeyValue lists, Resource, scope),
 * rendering values exactly as the protobuf decoder does (see value-format.ts).
 */
import type { AttributeMap } from '@agentflow/schemas';
import { jsonError } from './decode-error.js';
import { describe, doubleValue, field, int64Decimal, isObject, JsonShapeProblem, stringField, type JsonObject } from './json-fields.js';
import type { ScopeInfo } from './scope-info.js';
import { formatDouble, jsonDouble, jsonObject, jsonString, MAX_VALUE_DEPTH, newAttributeMap } from './value-format.js';

/**
 * An AnyValue (`{"stringValue": "…"}`, `{"intValue": "42"}`, …) rendered as pdata's AsString
 * does; with `json`, as its fragment inside a rendered array or map. `depth` is 1 for an
 * attribute value. Null or `{}` is the empty value.
 */
export function renderValue(value: unknown, depth: number, json: boolean): string {
  if (depth > MAX_VALUE_DEPTH) throw jsonError(`invalid JSON: AnyValue nested deeper than ${MAX_VALUE_DEPTH} levels`);
  if (value === undefined || value === null) return json ? 'null' : '';
  if (!isObject(value)) throw new JsonShapeProblem(`value must be an AnyValue object, got ${describe(value)}`);
  let v: unknown;
  if ((v = field(value, 'stringValue', 'string_value')) != null) {
    if (typeof v !== 'string') throw new JsonShapeProblem(`stringValue must be a string, got ${describe(v)}`);
    return json ? jsonString(v) : v;
  }
  if ((v = field(value, 'boolValue', 'bool_value')) != null) {
    if (typeof v !== 'boolean') throw new JsonShapeProblem(`boolValue must be true or false, got ${describe(v)}`);
    return v ? 'true' : 'false';
  }
  if ((v = field(value, 'intValue', 'int_value')) != null) return int64Decimal(v);
  if ((v = field(value, 'doubleValue', 'double_value')) != null) {
    const n = doubleValue(v);
    return json ? jsonDouble(n) : formatDouble(n);
  }
  if ((v = field(value, 'arrayValue', 'array_value')) != null) return renderArray(v, depth);
  if ((v = field(value, 'kvlistValue', 'kvlist_value')) != null) return renderKeyValueList(v, depth);
  if ((v = field(value, 'bytesValue', 'bytes_value')) != null) {
    if (typeof v !== 'string') throw new JsonShapeProblem(`bytesValue must be a base64 string, got ${describe(v)}`);
    // Re-encoding normalises URL-safe or unpadded base64 to the standard alphabet the exporter uses.
    const base64 = Buffer.from(v, 'base64').toString('base64');
    return json ? '"' + base64 + '"' : base64;
  }
  return json ? 'null' : '';
}

function valuesOf(container: unknown, what: string): unknown[] {
  if (!isObject(container)) throw new JsonShapeProblem(`${what} must be an object, got ${describe(container)}`);
  const values = field(container, 'values', 'values');
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values)) throw new JsonShapeProblem(`${what}.values must be an array, got ${describe(values)}`);
  return values;
}

function renderArray(container: unknown, depth: number): string {
  const values = valuesOf(container, 'arrayValue');
  let out = '[';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += renderValue(values[i], depth + 1, true);
  }
  return out + ']';
}

function renderKeyValueList(container: unknown, depth: number): string {
  const values = valuesOf(container, 'kvlistValue');
  const entries = new Map<string, string>();
  for (const kv of values) {
    if (!isObject(kv)) throw new JsonShapeProblem(`kvlistValue entries must be objects, got ${describe(kv)}`);
    entries.set(stringField(kv, 'key', 'key'), renderValue(kv['value'], depth + 1, true));
  }
  return jsonObject(entries);
}

/** Reads a `[{key, value}]` attribute list into `attributes` (last duplicate wins). */
export function readAttributes(list: unknown, attributes: AttributeMap): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw new JsonShapeProblem(`attributes must be an array, got ${describe(list)}`);
  for (const kv of list) {
    if (!isObject(kv)) throw new JsonShapeProblem(`attributes entries must be objects, got ${describe(kv)}`);
    attributes[stringField(kv, 'key', 'key')] = renderValue(kv['value'], 1, false);
  }
}

/** Reads the attributes of a `resource` (or an absent one) of the container at `path`. */
export function readResource(container: JsonObject, path: string): AttributeMap {
  const attributes: AttributeMap = newAttributeMap();
  const resource = container['resource'];
  if (resource === undefined || resource === null) return attributes;
  inContainer(`${path}resource`, () => readAttributes(objectOrProblem(resource, 'resource')['attributes'], attributes));
  return attributes;
}

/** Reads the `scope` of the container at `path`; `withAttributes` keeps its attributes (logs). */
export function readScope(container: JsonObject, path: string, withAttributes: boolean): ScopeInfo {
  const scope: ScopeInfo = { name: '', version: '', attributes: withAttributes ? newAttributeMap() : null };
  const value = container['scope'];
  if (value === undefined || value === null) return scope;
  inContainer(`${path}scope`, () => {
    const o = objectOrProblem(value, 'scope');
    scope.name = stringField(o, 'name', 'name');
    scope.version = stringField(o, 'version', 'version');
    if (scope.attributes !== null) readAttributes(o['attributes'], scope.attributes);
  });
  return scope;
}

function objectOrProblem(value: unknown, what: string): JsonObject {
  if (!isObject(value)) throw new JsonShapeProblem(`${what} must be an object, got ${describe(value)}`);
  return value;
}

/** Runs a read outside any span or record: a shape problem there breaks the whole body. */
function inContainer(path: string, read: () => void): void {
  try {
    read();
  } catch (err) {
    if (err instanceof JsonShapeProblem) throw jsonError(`${path}: ${err.reason}`);
    throw err;
  }
}
