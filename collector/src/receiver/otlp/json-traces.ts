/**
 * OTLP/HTTP JSON trace decoder: an `ExportTraceServiceRequest` in OTLP/JSON into the same span
 * rows the protobuf decoder builds.
 */
import {
  RESOURCE as RESOURCE_KEYS,
  SPAN_KIND_NAMES,
  STATUS_CODE_NAMES,
  type AttributeMap,
  type SpanEventRow,
  type SpanLinkRow,
  type SpanRow,
} from '@agentflow/schemas';
import { ResultBuilder, type DecodeResult } from './decode-result.js';
import { optionalIdProblem, requiredIdProblem, SPAN_ID_BYTES, spanTimesProblem, TRACE_ID_BYTES } from './id-rules.js';
import { parseJsonBody } from './json-body.js';
import {
  arrayAt, describe, enumField, field, hexIdField, isObject, JsonShapeProblem, objectAt, stringField, uint64Field, type JsonObject,
} from './json-fields.js';
import { readAttributes, readResource, readScope } from './json-values.js';
import type { ScopeInfo } from './scope-info.js';
import { newAttributeMap } from './value-format.js';

/** Enum names without their `SPAN_KIND_` / `STATUS_CODE_` prefixes, indexed by value. */
const KIND_NAMES = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS_NAMES = ['UNSET', 'OK', 'ERROR'];

/**
 * Decodes an OTLP/HTTP JSON `ExportTraceServiceRequest` into span rows stamped with `tenantId`.
 * Ids are hex (any case, stored lowercase); 64-bit integers may be strings or numbers; enums may
 * be numbers or names; both lowerCamelCase and snake_case keys are read; unknown keys are
 * ignored. A span with a bad id, bad time order or a field of the wrong type is rejected and
 * counted. An empty body is an empty request. Rows of one resource share its
 * `resourceAttributes` object: treat rows as read-only.
 * @throws OtlpDecodeError when the body is not JSON or a container has the wrong shape.
 */
export function decodeTracesJson(body: Uint8Array, tenantId: string): DecodeResult<SpanRow> {
  const request = parseJsonBody(body);
  const out = new ResultBuilder<SpanRow>();
  const resourceSpans = arrayAt(request, 'resourceSpans', 'resource_spans', '');
  for (let i = 0; i < resourceSpans.length; i++) {
    const path = `resourceSpans[${i}]`;
    const rs = objectAt(resourceSpans[i], path);
    const resourceAttributes = readResource(rs, `${path}.`);
    const serviceName = resourceAttributes[RESOURCE_KEYS.SERVICE_NAME] ?? '';
    const scopeSpans = arrayAt(rs, 'scopeSpans', 'scope_spans', `${path}.`);
    for (let j = 0; j < scopeSpans.length; j++) {
      const scopePath = `${path}.scopeSpans[${j}]`;
      const ss = objectAt(scopeSpans[j], scopePath);
      const scope = readScope(ss, `${scopePath}.`, false);
      const spans = arrayAt(ss, 'spans', 'spans', `${scopePath}.`);
      for (let k = 0; k < spans.length; k++) {
        try {
          out.rows.push(readSpan(spans[k], tenantId, serviceName, resourceAttributes, scope));
        } catch (err) {
          if (!(err instanceof JsonShapeProblem)) throw err;
          out.reject(() => `span ${k} of scope '${scope.name}': ${err.reason}`);
        }
      }
    }
  }
  return out.result();
}

function readSpan(value: unknown, tenantId: string, serviceName: string, resourceAttributes: AttributeMap, scope: ScopeInfo): SpanRow {
  if (!isObject(value)) throw new JsonShapeProblem(`a span must be an object, got ${describe(value)}`);
  const traceId = hexIdField(value, 'traceId', 'trace_id');
  const spanId = hexIdField(value, 'spanId', 'span_id');
  const parentSpanId = hexIdField(value, 'parentSpanId', 'parent_span_id');
  const start = uint64Field(value, 'startTimeUnixNano', 'start_time_unix_nano');
  const end = uint64Field(value, 'endTimeUnixNano', 'end_time_unix_nano');
  const events = listOf(value, 'events', readEvent);
  const problem =
    requiredIdProblem('traceId', TRACE_ID_BYTES, traceId.length / 2, traceId) ||
    requiredIdProblem('spanId', SPAN_ID_BYTES, spanId.length / 2, spanId) ||
    optionalIdProblem('parentSpanId', SPAN_ID_BYTES, parentSpanId.length / 2) ||
    spanTimesProblem(start, end, events);
  if (problem !== '') throw new JsonShapeProblem(problem);
  const attributes: AttributeMap = newAttributeMap();
  readAttributes(value['attributes'], attributes);
  const status = field(value, 'status', 'status');
  let statusCode = 0;
  let statusMessage = '';
  if (status !== undefined && status !== null) {
    if (!isObject(status)) throw new JsonShapeProblem(`status must be an object, got ${describe(status)}`);
    statusCode = enumField(status, 'code', 'code', 'STATUS_CODE_', STATUS_NAMES);
    statusMessage = stringField(status, 'message', 'message');
  }
  return {
    tenantId,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    traceId,
    spanId,
    parentSpanId,
    traceState: stringField(value, 'traceState', 'trace_state'),
    name: stringField(value, 'name', 'name'),
    kind: SPAN_KIND_NAMES[enumField(value, 'kind', 'kind', 'SPAN_KIND_', KIND_NAMES)] ?? 'Unspecified',
    serviceName,
    resourceAttributes,
    scopeName: scope.name,
    scopeVersion: scope.version,
    attributes,
    statusCode: STATUS_CODE_NAMES[statusCode] ?? 'Unset',
    statusMessage,
    events,
    links: listOf(value, 'links', readLink),
  };
}

function listOf<T>(span: JsonObject, name: string, read: (o: JsonObject, index: number) => T): T[] {
  const list = span[name];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new JsonShapeProblem(`${name} must be an array, got ${describe(list)}`);
  const out: T[] = new Array<T>(list.length);
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    if (!isObject(item)) throw new JsonShapeProblem(`${name}[${i}] must be an object, got ${describe(item)}`);
    out[i] = read(item, i);
  }
  return out;
}

function readEvent(o: JsonObject): SpanEventRow {
  const attributes: AttributeMap = newAttributeMap();
  readAttributes(o['attributes'], attributes);
  return { timeUnixNano: uint64Field(o, 'timeUnixNano', 'time_unix_nano'), name: stringField(o, 'name', 'name'), attributes };
}

function readLink(o: JsonObject, index: number): SpanLinkRow {
  const traceId = hexIdField(o, 'traceId', 'trace_id');
  const spanId = hexIdField(o, 'spanId', 'span_id');
  const problem =
    requiredIdProblem('traceId', TRACE_ID_BYTES, traceId.length / 2, traceId) ||
    requiredIdProblem('spanId', SPAN_ID_BYTES, spanId.length / 2, spanId);
  if (problem !== '') throw new JsonShapeProblem(`link ${index}: ${problem}`);
  const attributes: AttributeMap = newAttributeMap();
  readAttributes(o['attributes'], attributes);
  return { traceId, spanId, traceState: stringField(o, 'traceState', 'trace_state'), attributes };
}
