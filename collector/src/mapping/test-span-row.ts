/** Test support (not part of the build): hand-built raw spans. */
import type { AttributeMap, SpanEventRow, SpanRow } from '@agentflow/schemas';

/** A raw span with defaults for everything the test does not care about. */
export function spanRow(attributes: AttributeMap, overrides: Partial<SpanRow> = {}): SpanRow {
  return {
    tenantId: 't1',
    startTimeUnixNano: 1_000_000_000n,
    endTimeUnixNano: 2_000_000_000n,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '00f067aa0ba902b7',
    traceState: '',
    name: 'span',
    kind: 'Internal',
    serviceName: 'svc',
    resourceAttributes: { 'service.name': 'svc' },
    scopeName: 'test',
    scopeVersion: '',
    attributes,
    statusCode: 'Unset',
    statusMessage: '',
    events: [],
    links: [],
    ...overrides,
  };
}

/** A span event at `timeUnixNano` (default 1.5 s). */
export function spanEvent(name: string, attributes: AttributeMap, timeUnixNano = 1_500_000_000n): SpanEventRow {
  return { name, attributes, timeUnixNano };
}
