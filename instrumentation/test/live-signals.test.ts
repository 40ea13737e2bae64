import { trace } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AGENTFLOW, GEN_AI } from '@agentflow/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentTracker, createLiveSignalProcessor, type LiveSignalProcessor } from '../src/index.js';
import { installTracing } from './support/otel.js';

function logPipeline(): { exporter: InMemoryLogRecordExporter; provider: LoggerProvider } {
  const exporter = new InMemoryLogRecordExporter();
  return { exporter, provider: new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] }) };
}

function named(records: ReadableLogRecord[], eventName: string): ReadableLogRecord[] {
  return records.filter((r) => r.eventName === eventName);
}

const waitFor = async (check: () => boolean, ms = 2_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

let live: LiveSignalProcessor | undefined;
afterEach(async () => live?.shutdown());

describe('live signal processor', () => {
  it('emits agentflow.span.start for agent, LLM, tool and custom action spans as they start', async () => {
    const logs = logPipeline();
    live = createLiveSignalProcessor({ loggerProvider: logs.provider, heartbeatIntervalMs: 0 });
    const tracing = installTracing([live]);
    const tracker = createAgentTracker();
    let startsWhileRunning = 0;
    await tracker.runSession({ agentName: 'planner', agentId: 'p-1', agentType: 'planning', conversationId: 'c-9' }, async (session) => {
      await session.llm({ model: 'gpt-4o', provider: 'openai' }, async () => {
        startsWhileRunning = named(logs.exporter.getFinishedLogRecords(), AGENTFLOW.SPAN_START_EVENT).length;
      });
      await session.tool({ name: 'search', callId: 'call-1' }, async () => undefined);
      session.action('file_write', 'save', () => undefined);
      trace.getTracer('other').startActiveSpan('plain span', (span) => span.end());
    });
    // Both the session and the LLM call were reported before either ended.
    expect(startsWhileRunning).toBe(2);

    const starts = named(logs.exporter.getFinishedLogRecords(), AGENTFLOW.SPAN_START_EVENT);
    const session = tracing.span('invoke_agent planner');
    const llm = tracing.span('chat gpt-4o');
    expect(starts.map((r) => r.attributes[AGENTFLOW.SPAN_NAME])).toEqual(['invoke_agent planner', 'chat gpt-4o', 'execute_tool search', 'save']);

    const [sessionStart, llmStart, toolStart, actionStart] = starts;
    const { traceId, spanId } = session.spanContext();
    const [seconds, nanos] = session.startTime;
    expect(sessionStart!.attributes).toEqual({
      [AGENTFLOW.SPAN_TRACE_ID]: traceId,
      [AGENTFLOW.SPAN_ID]: spanId,
      [AGENTFLOW.SPAN_PARENT_SPAN_ID]: '',
      [AGENTFLOW.SPAN_NAME]: 'invoke_agent planner',
      [AGENTFLOW.SPAN_START_TIME_UNIX_NANO]: (BigInt(seconds) * 1_000_000_000n + BigInt(nanos)).toString(),
      [GEN_AI.AGENT_NAME]: 'planner',
      [GEN_AI.OPERATION_NAME]: 'invoke_agent',
      [GEN_AI.AGENT_ID]: 'p-1',
      [GEN_AI.CONVERSATION_ID]: 'c-9',
      [AGENTFLOW.AGENT_TYPE]: 'planning',
    });
    expect(sessionStart!.hrTime).toEqual(session.startTime);
    expect(sessionStart!.spanContext?.spanId).toBe(spanId);
    expect(sessionStart!.spanContext?.traceId).toBe(traceId);

    // Child spans carry their parent and inherit the session's agent name.
    expect(llmStart!.attributes).toMatchObject({
      [AGENTFLOW.SPAN_ID]: llm.spanContext().spanId,
      [AGENTFLOW.SPAN_PARENT_SPAN_ID]: spanId,
      [GEN_AI.AGENT_NAME]: 'planner',
      [GEN_AI.OPERATION_NAME]: 'chat',
      [GEN_AI.REQUEST_MODEL]: 'gpt-4o',
      [GEN_AI.PROVIDER_NAME]: 'openai',
    });
    expect(toolStart!.attributes).toMatchObject({ [GEN_AI.TOOL_NAME]: 'search', [GEN_AI.TOOL_CALL_ID]: 'call-1', [GEN_AI.AGENT_NAME]: 'planner' });
    expect(actionStart!.attributes).toMatchObject({ [AGENTFLOW.ACTION_TYPE]: 'file_write', [GEN_AI.AGENT_NAME]: 'planner' });
  });

  it('beats every interval with status, load and capacity, and reports offline once on shutdown', async () => {
    const logs = logPipeline();
    live = createLiveSignalProcessor({ loggerProvider: logs.provider, heartbeatIntervalMs: 20, capacity: 1 });
    installTracing([live]);
    const tracker = createAgentTracker();
    const beats = (): ReadableLogRecord[] => named(logs.exporter.getFinishedLogRecords(), AGENTFLOW.HEARTBEAT_EVENT);

    await waitFor(() => beats().length >= 2);
    expect(beats()[0]!.attributes).toEqual({
      [AGENTFLOW.INSTANCE_STATUS]: 'online',
      [AGENTFLOW.INSTANCE_LOAD]: 0,
      [AGENTFLOW.AGENT_CAPACITY]: 1,
      [AGENTFLOW.HEARTBEAT_INTERVAL_MS]: 20,
    });

    await tracker.runSession({ agentName: 'busy-one' }, async () => {
      expect(live!.load).toBe(1);
      const before = beats().length;
      await waitFor(() => beats().length > before);
      expect(beats().at(-1)!.attributes).toMatchObject({ [AGENTFLOW.INSTANCE_STATUS]: 'busy', [AGENTFLOW.INSTANCE_LOAD]: 1 });
    });
    expect(live.load).toBe(0);

    await live.shutdown();
    await live.shutdown();
    const afterShutdown = beats().length;
    expect(beats().at(-1)!.attributes).toMatchObject({ [AGENTFLOW.INSTANCE_STATUS]: 'offline', [AGENTFLOW.INSTANCE_LOAD]: 0 });
    await new Promise((r) => setTimeout(r, 60));
    expect(beats().length).toBe(afterShutdown);
    expect(named(beats(), AGENTFLOW.HEARTBEAT_EVENT).filter((b) => b.attributes[AGENTFLOW.INSTANCE_STATUS] === 'offline')).toHaveLength(1);
  });

  it('without a capacity, is busy while any session runs; heartbeat() beats on demand', () => {
    const logs = logPipeline();
    live = createLiveSignalProcessor({ loggerProvider: logs.provider, heartbeatIntervalMs: 0 });
    installTracing([live]);
    const tracker = createAgentTracker();
    tracker.runSession({ agentName: 'a' }, () => live!.heartbeat());
    live.heartbeat();
    const statuses = named(logs.exporter.getFinishedLogRecords(), AGENTFLOW.HEARTBEAT_EVENT).map((r) => [
      r.attributes[AGENTFLOW.INSTANCE_STATUS], r.attributes[AGENTFLOW.INSTANCE_LOAD], r.attributes[AGENTFLOW.AGENT_CAPACITY],
    ]);
    expect(statuses).toEqual([['busy', 1, undefined], ['online', 0, undefined]]);
  });
});
