/**
 * Protobuf readers for the OTLP common messages (opentelemetry/proto/common/v1/common.proto and
 * resource/v1/resource.proto), rendering values straight into strings:
 *
 *   AnyValue     oneof { 1 string_value, 2 bool_value, 3 int_value (int64), 4 double_value,
 *                        5 array_value, 6 kvlist_value, 7 bytes_value }
 *   ArrayValue   { 1 repeated AnyValue values }
 *   KeyValueList { 1 repeated KeyValue values }
 *   KeyValue     { 1 key, 2 AnyValue value }
 *   InstrumentationScope { 1 name, 2 version, 3 repeated KeyValue attributes, 4 dropped }
 *   Resource     { 1 repeated KeyValue attributes, 2 dropped_attributes_count }
 *
 * Each `read*` function is called with the reader at the field's length prefix.
 * Switches use literal tags (`field << 3 | wire type`) so V8 can compile them to jump tables.
 */
import type { AttributeMap } from '@agentflow/schemas';
import { protobufError } from './decode-error.js';
import { messageShape, ProtoReader, WIRE } from './proto-reader.js';
import type { ScopeInfo } from './scope-info.js';
import { formatDouble, int64ToDecimal, jsonDouble, jsonObject, jsonString, MAX_VALUE_DEPTH } from './value-format.js';

const { VARINT, FIXED64, LEN } = WIRE;
const ANY_VALUE = messageShape('AnyValue', { 1: LEN, 2: VARINT, 3: VARINT, 4: FIXED64, 5: LEN, 6: LEN, 7: LEN });
const ARRAY_VALUE = messageShape('ArrayValue', { 1: LEN });
const KEY_VALUE_LIST = messageShape('KeyValueList', { 1: LEN });
const KEY_VALUE = messageShape('KeyValue', { 1: LEN, 2: LEN });
const SCOPE = messageShape('InstrumentationScope', { 1: LEN, 2: LEN, 3: LEN, 4: VARINT });
const RESOURCE = messageShape('Resource', { 1: LEN, 2: VARINT });

/**
 * Reads an AnyValue rendered as pdata's `AsString` does (see value-format.ts); with `json`, as
 * the JSON fragment it takes inside a rendered array or map. `depth` is 1 for an attribute value.
 * A oneof seen twice keeps the last member, as protobuf merging does.
 */
export function readValue(r: ProtoReader, depth: number, json: boolean): string {
  if (depth > MAX_VALUE_DEPTH) throw protobufError(`invalid protobuf: AnyValue nested deeper than ${MAX_VALUE_DEPTH} levels`);
  const outer = r.enter();
  let out = json ? 'null' : '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 string_value
        out = json ? jsonString(r.string()) : r.string();
        break;
      case 16: // 2 bool_value
        r.varint64();
        out = r.lo !== 0 || r.hi !== 0 ? 'true' : 'false';
        break;
      case 24: // 3 int_value
        r.varint64();
        out = int64ToDecimal(r.lo, r.hi);
        break;
      case 33: {
        // 4 double_value
        const value = r.double();
        out = json ? jsonDouble(value) : formatDouble(value);
        break;
      }
      case 42: // 5 array_value
        out = readArray(r, depth);
        break;
      case 50: // 6 kvlist_value
        out = readKeyValueList(r, depth);
        break;
      case 58: {
        // 7 bytes_value
        const base64 = r.base64();
        out = json ? '"' + base64 + '"' : base64;
        break;
      }
      default:
        r.skip(tag, ANY_VALUE);
    }
  }
  r.leave(outer);
  return out;
}

function readArray(r: ProtoReader, depth: number): string {
  const outer = r.enter();
  let out = '[';
  let first = true;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === 10) {
      // 1 values
      if (!first) out += ',';
      out += readValue(r, depth + 1, true);
      first = false;
    } else {
      r.skip(tag, ARRAY_VALUE);
    }
  }
  r.leave(outer);
  return out + ']';
}

function readKeyValueList(r: ProtoReader, depth: number): string {
  const outer = r.enter();
  const entries = new Map<string, string>();
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === 10) readKeyValue(r, depth + 1, entries);
    else r.skip(tag, KEY_VALUE_LIST);
  }
  r.leave(outer);
  return jsonObject(entries);
}

function readKeyValue(r: ProtoReader, depth: number, entries: Map<string, string>): void {
  const outer = r.enter();
  let key = '';
  let value = 'null';
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === 10) key = r.string();
    else if (tag === 18) value = readValue(r, depth, true);
    else r.skip(tag, KEY_VALUE);
  }
  r.leave(outer);
  entries.set(key, value);
}

/** Reads one KeyValue into `attributes` (last duplicate wins). */
export function readAttribute(r: ProtoReader, attributes: AttributeMap): void {
  const outer = r.enter();
  let key = '';
  let value = '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === 10) key = r.string();
    else if (tag === 18) value = readValue(r, 1, false);
    else r.skip(tag, KEY_VALUE);
  }
  r.leave(outer);
  attributes[key] = value;
}

/** Reads a Resource's attributes into `attributes`. */
export function readResource(r: ProtoReader, attributes: AttributeMap): void {
  const outer = r.enter();
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === 10) readAttribute(r, attributes);
    else r.skip(tag, RESOURCE);
  }
  r.leave(outer);
}

/** Reads an InstrumentationScope into `scope` (a scope sent twice merges, as protobuf does). */
export function readScope(r: ProtoReader, scope: ScopeInfo): void {
  const outer = r.enter();
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 name
        scope.name = r.string();
        break;
      case 18: // 2 version
        scope.version = r.string();
        break;
      case 26: // 3 attributes
        if (scope.attributes !== null) readAttribute(r, scope.attributes);
        else r.skip(tag, SCOPE);
        break;
      default:
        r.skip(tag, SCOPE);
    }
  }
  r.leave(outer);
}
