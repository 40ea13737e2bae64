/**
 * Decode throughput on agent-like spans: `npx vitest bench --run collector/src/receiver/otlp`.
 * Each iteration decodes one export of {@link SPANS_PER_EXPORT} spans (the BatchSpanProcessor
 * default batch), so spans/s = hz × SPANS_PER_EXPORT. Spans are ~1.2 KB of protobuf with 20
 * attributes: short strings, counters, a temperature, a finish-reason array and two message
 * payloads, plus one event.
 *
 * Absolute numbers here read low: vitest's module runner rewrites every call to an imported
 * function into a property load on its module object (`__vite_ssr_import_1__.internUtf8(…)`),
 * which keeps V8 from inlining the reader's small helpers across files. The same code compiled by tsc and run by plain Node (as in production) decodes
 * protobuf about 25% faster. Use this file to compare changes, not as the production figure.
 */
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { RESOURCE } from '@agentflow/schemas';
import { bench, describe } from 'vitest';
import { decodeTracesJson, decodeTracesProto } from './index.js';

const SPANS_PER_EXPORT = 512;

function agentSpans(count: number): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [RESOURCE.SERVICE_NAME]: 'bench-agents', [RESOURCE.SERVICE_VERSION]: '1.4.2' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('bench-harness', '1.0.0');
  const root = tracer.startSpan('invoke_agent planner', { kind: SpanKind.INTERNAL }, ROOT_CONTEXT);
  const parent = trace.setSpan(ROOT_CONTEXT, root);
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan('chat gpt-4o-mini', { kind: SpanKind.CLIENT }, parent);
    span.setAttributes({
      'llm.operation.name': 'chat',
      'llm.provider.name': 'openai',
      'llm.request.model': 'gpt-4o-mini',
      'llm.request.temperature': 0.2,
      'llm.request.max_tokens': 1024,
      'llm.response.model': 'gpt-4o-mini-2024-07-18',
      'llm.response.id': `chatcmpl-${(i * 7919).toString(36)}x${i}`,
      'llm.response.finish_reasons': ['stop'],
      'llm.usage.input_tokens': 1200 + i,
      'llm.usage.output_tokens': 87 + (i % 50),
      'llm.conversation.id': `conv-${i % 16}`,
      'llm.agent.name': 'planner',
      'server.address': 'api.openai.com',
      'server.port': 443,
      'session.id': `session-${i % 8}`,
      'user.id': 'user-42',
      'llm.input.messages': JSON.stringify([
        { role: 'system', parts: [{ type: 'text', content: 'You are a travel planner for city breaks. Answer briefly, in bullet points, with opening hours and prices.' }] },
        { role: 'user', parts: [{ type: 'text', content: `Plan day ${i} in Lisbon: museums, food, a viewpoint at sunset.` }] },
      ]),
      'llm.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: 'Morning: Gulbenkian. Lunch: Time Out Market. Sunset: Senhora do Monte.' }] },
      ]),
      'app.step': i,
      'app.retry': false,
    });
    span.addEvent('llm.content.completion', { 'event.index': 0 });
    span.end();
  }
  root.end();
  return exporter.getFinishedSpans().slice(0, count);
}

const spans = agentSpans(SPANS_PER_EXPORT);
const proto = ProtobufTraceSerializer.serializeRequest(spans)!;
const json = JsonTraceSerializer.serializeRequest(spans)!;

describe(`decode one export of ${SPANS_PER_EXPORT} spans (${Math.round(proto.length / SPANS_PER_EXPORT)} B/span protobuf)`, () => {
  // Long enough for V8 to settle on its optimized code; the default 500 ms measures warm-up too.
  const options = { time: 3_000, warmupTime: 1_000 };
  bench('protobuf', () => {
    decodeTracesProto(proto, 'bench');
  }, options);
  bench('JSON', () => {
    decodeTracesJson(json, 'bench');
  }, options);
});
