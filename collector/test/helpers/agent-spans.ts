import { newSpanId, newTraceId, nowNanos, protoTraceRequest, type TestSpan } from './otlp-payloads.js';

/** One agent run as GenAI spans: an invoke_agent span with LLM calls and tool calls under it. */
export interface AgentRun {
  traceId: Buffer;
  agent: TestSpan;
  llmCalls: TestSpan[];
  toolCalls: TestSpan[];
}

const MS = 1_000_000n;

/**
 * Builds an agent run of `llmCalls` chat spans (100 input, 10 output tokens each, gpt-4o-mini)
 * and `toolCalls` execute_tool spans, all children of one invoke_agent span.
 */
export function agentRun(name: string, llmCalls: number, toolCalls: number, traceId = newTraceId()): AgentRun {
  const start = nowNanos(-60_000);
  const agent: TestSpan = {
    traceId, spanId: newSpanId(), name: `invoke_agent ${name}`, kind: 1, start, end: start + 1_000n * MS,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name, 'gen_ai.conversation.id': `conv-${name}` },
  };
  const child = (i: number, attributes: TestSpan['attributes'], spanName: string): TestSpan => ({
    traceId, spanId: newSpanId(), parentSpanId: agent.spanId, name: spanName, kind: 3,
    start: start + BigInt(10 + i * 20) * MS, end: start + BigInt(25 + i * 20) * MS, attributes,
  });
  return {
    traceId,
    agent,
    llmCalls: Array.from({ length: llmCalls }, (_, i) => child(i, {
      'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.provider.name': 'openai',
      'gen_ai.usage.input_tokens': 100n, 'gen_ai.usage.output_tokens': 10n,
    }, 'chat gpt-4o-mini')),
    toolCalls: Array.from({ length: toolCalls }, (_, i) => child(llmCalls + i, {
      'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': `tool_${i}`, 'gen_ai.tool.call.id': `call_${i}`,
    }, `execute_tool tool_${i}`)),
  };
}

/** A protobuf export of the given spans from service `svc`. */
export function exportOf(spans: readonly TestSpan[]): Buffer {
  return protoTraceRequest('svc', spans);
}
