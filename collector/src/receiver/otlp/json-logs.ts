/**
 * OTLP/HTTP JSON log decoder: an `ExportLogsServiceRequest` in OTLP/JSON into the same log rows
 * the protobuf decoder builds.
 */
import { RESOURCE as RESOURCE_KEYS, type AttributeMap, type LogRow } from '@agentflow/schemas';
import { ResultBuilder, type DecodeResult } from './decode-result.js';
import { isZeroId, optionalIdProblem, SPAN_ID_BYTES, TRACE_ID_BYTES, timeRangeProblem } from './id-rules.js';
import { parseJsonBody } from './json-body.js';
import {
  arrayAt, describe, enumField, hexIdField, isObject, JsonShapeProblem, objectAt, stringField, uint32Field, uint64Field,
} from './json-fields.js';
import { readAttributes, readResource, readScope, renderValue } from './json-values.js';
import type { ScopeInfo } from './scope-info.js';
import { newAttributeMap } from './value-format.js';

/** Severity names without `SEVERITY_NUMBER_`, indexed by value (1 = TRACE … 24 = FATAL4). */
const SEVERITY_NAMES = ['UNSPECIFIED'];
for (const level of ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']) {
  SEVERITY_NAMES.push(level, `${level}2`, `${level}3`, `${level}4`);
}

/** The W3C trace flags are the low byte of `LogRecord.flags`; the rest is reserved. */
const TRACE_FLAGS_MASK = 0xff;

/**
 * Decodes an OTLP/HTTP JSON `ExportLogsServiceRequest` into log rows stamped with `tenantId`,
 * under the same JSON rules as {@link decodeTracesJson}. A record whose trace or span id is
 * present with the wrong length, or with a field of the wrong type, is rejected and counted; an
 * all-zero id is stored as ''. Rows of one resource (scope) share its attribute objects.
 * @throws OtlpDecodeError when the body is not JSON or a container has the wrong shape.
 */
export function decodeLogsJson(body: Uint8Array, tenantId: string): DecodeResult<LogRow> {
  const request = parseJsonBody(body);
  const out = new ResultBuilder<LogRow>();
  const resourceLogs = arrayAt(request, 'resourceLogs', 'resource_logs', '');
  for (let i = 0; i < resourceLogs.length; i++) {
    const path = `resourceLogs[${i}]`;
    const rl = objectAt(resourceLogs[i], path);
    const resourceAttributes = readResource(rl, `${path}.`);
    const serviceName = resourceAttributes[RESOURCE_KEYS.SERVICE_NAME] ?? '';
    const scopeLogs = arrayAt(rl, 'scopeLogs', 'scope_logs', `${path}.`);
    for (let j = 0; j < scopeLogs.length; j++) {
      const scopePath = `${path}.scopeLogs[${j}]`;
      const sl = objectAt(scopeLogs[j], scopePath);
      const scope = readScope(sl, `${scopePath}.`, true);
      const records = arrayAt(sl, 'logRecords', 'log_records', `${scopePath}.`);
      for (let k = 0; k < records.length; k++) {
        try {
          out.rows.push(readLogRecord(records[k], tenantId, serviceName, resourceAttributes, scope));
        } catch (err) {
          if (!(err instanceof JsonShapeProblem)) throw err;
          out.reject(() => `log record ${k} of scope '${scope.name}': ${err.reason}`);
        }
      }
    }
  }
  return out.result();
}

function readLogRecord(
  value: unknown,
  tenantId: string,
  serviceName: string,
  resourceAttributes: AttributeMap,
  scope: ScopeInfo,
): LogRow {
  if (!isObject(value)) throw new JsonShapeProblem(`a log record must be an object, got ${describe(value)}`);
  const traceId = hexIdField(value, 'traceId', 'trace_id');
  const spanId = hexIdField(value, 'spanId', 'span_id');
  const problem =
    optionalIdProblem('traceId', TRACE_ID_BYTES, traceId.length / 2) ||
    optionalIdProblem('spanId', SPAN_ID_BYTES, spanId.length / 2);
  if (problem !== '') throw new JsonShapeProblem(problem);
  const time = uint64Field(value, 'timeUnixNano', 'time_unix_nano');
  const timeUnixNano = time !== 0n ? time : uint64Field(value, 'observedTimeUnixNano', 'observed_time_unix_nano');
  const timeProblem = timeRangeProblem('timeUnixNano', timeUnixNano);
  if (timeProblem !== '') throw new JsonShapeProblem(timeProblem);
  const attributes: AttributeMap = newAttributeMap();
  readAttributes(value['attributes'], attributes);
  return {
    tenantId,
    timeUnixNano,
    traceId: isZeroId(traceId) ? '' : traceId,
    spanId: isZeroId(spanId) ? '' : spanId,
    traceFlags: uint32Field(value, 'flags', 'flags') & TRACE_FLAGS_MASK,
    severityText: stringField(value, 'severityText', 'severity_text'),
    severityNumber: enumField(value, 'severityNumber', 'severity_number', 'SEVERITY_NUMBER_', SEVERITY_NAMES),
    serviceName,
    body: renderValue(value['body'], 1, false),
    resourceAttributes,
    scopeName: scope.name,
    scopeVersion: scope.version,
    scopeAttributes: scope.attributes ?? newAttributeMap(),
    attributes,
    eventName: stringField(value, 'eventName', 'event_name'),
  };
}
