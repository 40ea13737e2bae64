/**
 * A `trace.span` item as a span row: SDK ids mapped to OTel ids, ISO times to nanoseconds, the
 * span data to GenAI and `openai.agents.*` attributes, an error to an Error status with an
 * `exception` event.
 */
import { GENERAL, OPENAI_AGENTS, type AttributeMap, type SpanEventRow, type SpanRow } from '@agentflow/schemas';
import { requiredIdProblem, SPAN_ID_BYTES, spanTimesProblem, TRACE_ID_BYTES } from '../otlp/id-rules.js';
import { JsonShapeProblem, type JsonObject } from '../otlp/json-fields.js';
import { newAttributeMap } from '../otlp/value-format.js';
import { otelSpanId, otelTraceId } from './ids.js';
import { objectAt, payloadText, requiredStringAt, stringAt } from './item-fields.js';
import { parseIsoTime } from './iso-time.js';
import { OPENAI_AGENTS_SCOPE_NAME, OPENAI_AGENTS_SERVICE_NAME } from './source.js';
import { readSpanData } from './span-data.js';

/** What every span of one request shares. */
export interface SpanContext {
  tenantId: string;
  resourceAttributes: AttributeMap;
  /** Attributes of the request's trace items, by SDK trace id. */
  traces: ReadonlyMap<string, AttributeMap>;
}

/** The exception type the bridge writes: the SDK's errors have a message and data, no type. */
const EXCEPTION_TYPE = 'Error';

/**
 * Reads one span item.
 * @throws JsonShapeProblem when an id or time is missing or malformed, the span ends before it
 *   starts, or a field has the wrong type.
 */
export function readSpanItem(item: JsonObject, context: SpanContext): SpanRow {
  const openAiSpanId = requiredStringAt(item, 'id', '');
  const openAiTraceId = requiredStringAt(item, 'trace_id', '');
  const openAiParentId = stringAt(item, 'parent_id', '');
  const traceId = otelTraceId(openAiTraceId);
  const spanId = otelSpanId(openAiSpanId);
  const start = timeAt(item, 'started_at');
  const end = timeAt(item, 'ended_at');
  const idProblem = requiredIdProblem('trace_id', TRACE_ID_BYTES, traceId.length / 2, traceId) ||
    requiredIdProblem('id', SPAN_ID_BYTES, spanId.length / 2, spanId);
  if (idProblem !== '') throw new JsonShapeProblem(idProblem);

  // Trace attributes first: the span's own say more about it where both have a key.
  const attributes = newAttributeMap();
  Object.assign(attributes, context.traces.get(openAiTraceId));
  attributes[OPENAI_AGENTS.TRACE_ID] = openAiTraceId;
  attributes[OPENAI_AGENTS.SPAN_ID] = openAiSpanId;
  const data = objectAt(item, 'span_data', '');
  if (data === undefined) throw new JsonShapeProblem('span_data is required');
  const shape = readSpanData(data, attributes, 'span_data.');

  const error = objectAt(item, 'error', '');
  const message = error === undefined ? '' : stringAt(error, 'message', 'error.');
  const events = error === undefined ? [] : [exceptionEvent(end, message, error['data'])];
  const timeProblem = spanTimesProblem(start, end, events);
  if (timeProblem !== '') throw new JsonShapeProblem(timeProblem);
  return {
    tenantId: context.tenantId,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    traceId,
    spanId,
    parentSpanId: openAiParentId === '' ? '' : otelSpanId(openAiParentId),
    traceState: '',
    name: shape.name,
    kind: shape.kind,
    serviceName: OPENAI_AGENTS_SERVICE_NAME,
    resourceAttributes: context.resourceAttributes,
    scopeName: OPENAI_AGENTS_SCOPE_NAME,
    scopeVersion: '',
    attributes,
    statusCode: error === undefined ? 'Unset' : 'Error',
    statusMessage: message,
    events,
    links: [],
  };
}

/** An ISO time field as nanoseconds since the epoch. */
function timeAt(item: JsonObject, key: string): bigint {
  const text = requiredStringAt(item, key, '');
  const time = parseIsoTime(text);
  if (time === undefined) throw new JsonShapeProblem(`${key} must be an ISO 8601 date-time, got ${JSON.stringify(text.slice(0, 40))}`);
  if (time < 0n) throw new JsonShapeProblem(`${key} ${text} is before 1970`);
  return time;
}

/**
 * The error as the bridge records it: an `exception` event at the span's end with the message,
 * and the error's data as JSON (for a tool error the SDK's message is generic, "Error running
 * tool (non-fatal)", and the detail is in the data; the mapping appends it to the message).
 */
function exceptionEvent(time: bigint, message: string, data: unknown): SpanEventRow {
  const attributes = newAttributeMap();
  if (message !== '') attributes[GENERAL.EXCEPTION_MESSAGE] = message;
  attributes[GENERAL.EXCEPTION_TYPE] = EXCEPTION_TYPE;
  const detail = payloadText(data, 'error.data');
  if (detail !== '') attributes[OPENAI_AGENTS.ERROR_DATA] = detail;
  return { timeUnixNano: time, name: GENERAL.EXCEPTION_EVENT, attributes };
}
