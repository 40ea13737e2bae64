import type { CanonicalSpan } from '../mapping/canonical-span.js';

/** A canonical span with every field empty, for tests to override what they need. */
export function canonicalSpan(overrides: Partial<CanonicalSpan> & Pick<CanonicalSpan, 'spanId'>): CanonicalSpan {
  return {
    tenantId: 'default', traceId: 't'.repeat(32), parentSpanId: '', name: overrides.spanId,
    startTimeUnixNano: 1_000_000_000n, endTimeUnixNano: 2_000_000_000n, serviceName: 'svc', serviceInstanceId: '',
    category: 'other', dialect: 'otel-genai', operation: '', actionType: '', agentId: '', agentName: '', agentType: '',
    agentDescription: '', goal: '', goalType: '', trigger: '', taskId: '', workflowName: '', conversationId: '', userId: '',
    requestModel: '', responseModel: '', provider: '', usage: null, providedCostUsd: null, toolName: '', toolCallId: '',
    toolType: '', toolArgumentsHash: '', toolResultHash: '', status: 'unset', errorType: '', errorMessage: '', retryAttempt: 0,
    finishReasons: [], requestedToolCalls: [], targetAgentName: '', inputContent: '', outputContent: '', responseFormat: '', stateChanges: [], decisions: [], messages: [], links: [],
    ...overrides,
  };
}
