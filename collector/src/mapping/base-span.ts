import { GENERAL, RESOURCE, type SpanEventRow, type SpanRow } from '@agentflow/schemas';
import { str } from './attribute-values.js';
import type { CanonicalSpan } from './canonical-span.js';

/**
 * `error.type` values that say "some error" without naming it: the conventions' fallback `_OTHER`,
 * and Mastra's `unknown`. The exception event's type is more useful then.
 */
const PLACEHOLDER_ERROR_TYPES: ReadonlySet<string> = new Set(['_OTHER', 'unknown', 'Unknown']);

/**
 * The canonical span every dialect starts from: identity, times, service, links, status and error,
 * and the general `session.id` / `user.id` keys (OpenInference sets them from context; plain HTTP
 * spans carry them too). Category 'other', dialect 'none'.
 */
export function baseSpan(row: SpanRow): CanonicalSpan {
  const attrs = row.attributes;
  return {
    tenantId: row.tenantId,
    traceId: row.traceId,
    spanId: row.spanId,
    parentSpanId: row.parentSpanId,
    name: row.name,
    startTimeUnixNano: row.startTimeUnixNano,
    endTimeUnixNano: row.endTimeUnixNano,
    serviceName: row.serviceName,
    serviceInstanceId: str(row.resourceAttributes, RESOURCE.SERVICE_INSTANCE_ID),
    category: 'other',
    dialect: 'none',
    operation: '',
    actionType: '',
    agentId: '',
    agentName: '',
    agentType: '',
    agentDescription: '',
    goal: '',
    goalType: '',
    trigger: '',
    taskId: '',
    workflowName: '',
    conversationId: str(attrs, GENERAL.SESSION_ID),
    userId: str(attrs, GENERAL.USER_ID),
    requestModel: '',
    responseModel: '',
    provider: '',
    usage: null,
    providedCostUsd: null,
    targetAgentName: '',
    toolName: '',
    toolCallId: '',
    toolType: '',
    toolArgumentsHash: '',
    toolResultHash: '',
    ...spanOutcome(row),
    retryAttempt: 0,
    finishReasons: [],
    requestedToolCalls: [],
    inputContent: '',
    outputContent: '',
    responseFormat: '',
    stateChanges: [],
    decisions: [],
    messages: [],
    links: row.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
  };
}

/**
 * Status and error. A span is an error when its status is Error, or when it names an `error.type`
 * (the conventions set it exactly when the operation failed, even where an emitter forgot the
 * status). The type comes from `error.type`, else the exception event; the message from the status
 * message, else the exception event, else `error.message`. An exception recorded on a span that did
 * not fail (handled and retried inside) is not the span's error.
 */
function spanOutcome(row: SpanRow): Pick<CanonicalSpan, 'status' | 'errorType' | 'errorMessage'> {
  const declaredType = str(row.attributes, GENERAL.ERROR_TYPE);
  const failed = row.statusCode === 'Error' || declaredType !== '';
  if (!failed) return { status: row.statusCode === 'Ok' ? 'ok' : 'unset', errorType: '', errorMessage: '' };
  const exception = lastException(row.events);
  const exceptionType = exception ? str(exception.attributes, GENERAL.EXCEPTION_TYPE) : '';
  const exceptionMessage = exception ? str(exception.attributes, GENERAL.EXCEPTION_MESSAGE) : '';
  const namedType = declaredType !== '' && !PLACEHOLDER_ERROR_TYPES.has(declaredType) ? declaredType : '';
  return {
    status: 'error',
    errorType: namedType || exceptionType || declaredType,
    errorMessage: row.statusMessage || exceptionMessage || str(row.attributes, GENERAL.ERROR_MESSAGE),
  };
}

/** The last `exception` event: after retries inside one span, the last failure is the one that ended it. */
function lastException(events: readonly SpanEventRow[]): SpanEventRow | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.name === GENERAL.EXCEPTION_EVENT) return event;
  }
  return undefined;
}
