/**
 * End to end with a real framework: the Vercel AI SDK (ai@6) runs `generateText` with real tools
 * and its own `experimental_telemetry`, against the SDK's mock language model; the real OTLP/proto
 * exporter sends the spans over loopback to a collector on the real embedded engine; the derived
 * agent tables must then hold the run as the SDK saw it: one session, each step's model call with
 * its tokens and price, each tool execution with its call id and outcome.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { generateText, stepCountIs, tool, type GenerateTextResult, type ToolSet } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { z } from 'zod';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { createAsyncContextManager } from './helpers/async-context-manager.js';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';
import { RecordingExporter } from './helpers/recording-exporter.js';

const SESSIONS = `${DATABASE}.${TABLES.SESSIONS}`;
const ACTIONS = `${DATABASE}.${TABLES.ACTIONS}`;
const COMMUNICATIONS = `${DATABASE}.${TABLES.COMMUNICATIONS}`;

/** Every SDK run, export and flush must finish well inside the hook timeout. */
const DEADLINE_MS = 15_000;
const FUNCTION_ID = 'trip-planner';
const USER_ID = 'user-7731';
/** What the app asks for (a model the price table knows) and what OpenAI answers it ran. */
const REQUEST_MODEL = 'gpt-4o-mini';
const RESPONSE_MODEL = 'gpt-4o-mini-2024-07-18';
const HOTEL_ERROR = 'Hotel search unavailable (503)';

type ModelResponse = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;
type ContentPart = ModelResponse['content'][number];
type Row = Record<string, unknown>;

/** Token counts of one model response; `input` includes `cacheRead`, as OpenAI reports them. */
interface Usage {
  input: number;
  cacheRead: number;
  output: number;
}

/**
 * One model response shaped as `@ai-sdk/openai` returns a Chat Completions answer: the dated model
 * id, input split into uncached and cached, no cache writes, no reasoning for gpt-4o-mini.
 */
function modelResponse(id: string, content: ContentPart[], usage: Usage): ModelResponse {
  const asksForTools = content.some((part) => part.type === 'tool-call');
  return {
    content,
    finishReason: asksForTools ? { unified: 'tool-calls', raw: 'tool_calls' } : { unified: 'stop', raw: 'stop' },
    usage: {
      inputTokens: { total: usage.input, noCache: usage.input - usage.cacheRead, cacheRead: usage.cacheRead, cacheWrite: undefined },
      outputTokens: { total: usage.output, text: usage.output, reasoning: 0 },
    },
    response: { id, modelId: RESPONSE_MODEL, timestamp: new Date() },
    warnings: [],
  };
}

const toolCall = (toolCallId: string, toolName: string, input: object): ContentPart =>
  ({ type: 'tool-call', toolCallId, toolName, input: JSON.stringify(input) });
const text = (value: string): ContentPart => ({ type: 'text', text: value });

/** The trip planner's tools; each records the call id it ran with. `findHotels` throws when told to. */
function tripTools(executed: string[], hotelSearchDown: boolean): ToolSet {
  return {
    getWeather: tool({
      description: 'Weather forecast for a city',
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }, { toolCallId }) => {
        executed.push(toolCallId);
        return { city, forecast: 'sunny', highC: 24 };
      },
    }),
    findHotels: tool({
      description: 'Hotels in a city under a nightly price',
      inputSchema: z.object({ city: z.string(), maxPricePerNight: z.number() }),
      execute: async ({ city }, { toolCallId }) => {
        executed.push(toolCallId);
        if (hotelSearchDown) throw new Error(HOTEL_ERROR);
        return [{ hotelId: 'h-alfama', name: `Casa Alfama, ${city}`, pricePerNight: 120 }];
      },
    }),
    bookHotel: tool({
      description: 'Books a hotel',
      inputSchema: z.object({ hotelId: z.string(), nights: z.number().int() }),
      execute: async ({ hotelId, nights }, { toolCallId }) => {
        executed.push(toolCallId);
        return { confirmation: 'BK-1042', hotelId, nights };
      },
    }),
  };
}


interface Run {
  sessionId: string;
  result: GenerateTextResult<ToolSet, never>;
  /** Tool call ids in the order the tools ran. */
  executed: string[];
  exporter: RecordingExporter<ReadableSpan>;
}

/**
 * Runs the trip planner once with telemetry on, its spans exported to `url` by the real OTLP/proto
 * exporter through a batch processor (the production setup), and flushed before it returns.
 */
async function runTripPlanner(url: string, responses: ModelResponse[], hotelSearchDown: boolean): Promise<Run> {
  const exporter = new RecordingExporter<ReadableSpan>(new OTLPTraceExporter({ url: `${url}/v1/traces`, timeoutMillis: 5_000 }));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'trip-planner-app' }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const executed: string[] = [];
  let step = 0;
  const model = new MockLanguageModelV3({
    provider: 'openai.chat',
    modelId: REQUEST_MODEL,
    doGenerate: async () => {
      const response = responses[step++];
      if (!response) throw new Error(`the mock model has no response for step ${step}`);
      return response;
    },
  });
  const sessionId = `trip-${randomUUID()}`;
  try {
    const result = await generateText({
      model,
      tools: tripTools(executed, hotelSearchDown),
      stopWhen: stepCountIs(5),
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(DEADLINE_MS),
      prompt: 'Plan two nights in Lisbon next weekend and book a hotel under 150 EUR a night.',
      experimental_telemetry: {
        isEnabled: true,
        functionId: FUNCTION_ID,
        metadata: { sessionId, userId: USER_ID },
        // The SDK uses this tracer when given; otherwise the global provider's tracer named "ai".
        tracer: provider.getTracer('ai'),
      },
    });
    await withDeadline(provider.forceFlush(), 'forceFlush');
    return { sessionId, result, executed, exporter };
  } finally {
    await withDeadline(provider.shutdown(), 'shutdown');
  }
}

async function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${DEADLINE_MS} ms`)), DEADLINE_MS);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The run's spans all reached the collector, in one trace (the context manager parented them). */
function expectExported(run: Run, spanCount: number): void {
  expect(run.exporter.resultCodes.length).toBeGreaterThan(0);
  expect(run.exporter.resultCodes.every((code) => code === 0)).toBe(true);
  expect(run.exporter.items).toHaveLength(spanCount);
  expect(new Set(run.exporter.items.map((s) => s.spanContext().traceId)).size).toBe(1);
}

let t: TestCollector;
let url: string;

beforeAll(async () => {
  // The AI SDK parents its spans through the active context, which needs a context manager
  // (`sdk-trace-node` registers one; `BasicTracerProvider` does not). Each test file is its own
  // process, so the global registration stays in this file.
  context.setGlobalContextManager(createAsyncContextManager());
  t = await startTestCollector();
  url = await t.listen();
});
afterAll(async () => {
  context.disable();
  await t?.stop();
});

const sessionsOf = (conversationId: string) =>
  t.query<Row>(`SELECT * FROM ${SESSIONS} WHERE conversation_id = {conversation:String} ORDER BY started_at`, { conversation: conversationId });
const actionsOf = (sessionId: string, actionType: string) =>
  t.query<Row>(
    `SELECT * FROM ${ACTIONS} WHERE session_id = {session:String} AND action_type = {type:String} ORDER BY sequence`,
    { session: sessionId, type: actionType },
  );

/** The one session of a run; the tests below read its derived rows. */
async function sessionOf(run: Run): Promise<Row> {
  const sessions = await sessionsOf(run.sessionId);
  expect(sessions).toHaveLength(1);
  return sessions[0] as Row;
}

describe('a multi-step generateText run: tool calls, then an answer', () => {
  // Step 1 asks for two tools at once, step 2 for one more, step 3 answers. Later steps resend the
  // conversation so far, which OpenAI serves partly from its prompt cache.
  const STEPS: { id: string; content: ContentPart[]; usage: Usage }[] = [
    { id: 'chatcmpl-trip-1', usage: { input: 412, cacheRead: 0, output: 58 }, content: [
      toolCall('call_weather_lis', 'getWeather', { city: 'Lisbon' }),
      toolCall('call_hotels_lis', 'findHotels', { city: 'Lisbon', maxPricePerNight: 150 }),
    ] },
    { id: 'chatcmpl-trip-2', usage: { input: 655, cacheRead: 384, output: 21 }, content: [
      toolCall('call_book_alfama', 'bookHotel', { hotelId: 'h-alfama', nights: 2 }),
    ] },
    { id: 'chatcmpl-trip-3', usage: { input: 731, cacheRead: 512, output: 64 }, content: [
      text('Sunny, 24 °C. Booked Casa Alfama for two nights (BK-1042).'),
    ] },
  ];
  // gpt-4o-mini, USD per 1M tokens (schemas/src/prices/openai.ts): input 0.15, cache read 0.075,
  // output 0.6. Uncached input = input − cache read.
  //   step 1: 412 × 0.15 + 0 × 0.075 + 58 × 0.6 = 61.80 + 0 + 34.80 = 96.60 → 0.00009660
  //   step 2: 271 × 0.15 + 384 × 0.075 + 21 × 0.6 = 40.65 + 28.80 + 12.60 = 82.05 → 0.00008205
  //   step 3: 219 × 0.15 + 512 × 0.075 + 64 × 0.6 = 32.85 + 38.40 + 38.40 = 109.65 → 0.00010965
  //   run:    96.60 + 82.05 + 109.65 = 288.30 → 0.00028830
  const STEP_COSTS = [0.0000966, 0.00008205, 0.00010965];
  const RUN_COST = 0.0002883;

  let run: Run;
  let session: Row;
  beforeAll(async () => {
    run = await runTripPlanner(url, STEPS.map((s) => modelResponse(s.id, s.content, s.usage)), false);
    // ai.generateText + one ai.generateText.doGenerate per step + one ai.toolCall per tool run.
    expectExported(run, 1 + 3 + 3);
    session = await sessionOf(run);
  });

  it('ran the tools the mock model asked for, and answered', () => {
    expect(run.result.steps).toHaveLength(3);
    expect(run.executed.sort()).toEqual(['call_book_alfama', 'call_hotels_lis', 'call_weather_lis']);
    expect(run.result.text).toBe('Sunny, 24 °C. Booked Casa Alfama for two nights (BK-1042).');
  });

  it('records one completed trip-planner session with the conversation and user', () => {
    expect(session).toMatchObject({
      agent_name: FUNCTION_ID, conversation_id: run.sessionId, user_id: USER_ID, status: 'completed', implicit: 0, parent_session_id: '',
    });
    expect(Number(session.errors)).toBe(0);
  });

  it('counts each step as an LLM call and each tool execution as a tool call, and sums their tokens once', () => {
    const totals = {
      llm_calls: Number(session.llm_calls), tool_calls: Number(session.tool_calls), input_tokens: Number(session.input_tokens),
      output_tokens: Number(session.output_tokens), cache_read_tokens: Number(session.cache_read_tokens),
    };
    // 412 + 655 + 731 = 1798 in, 0 + 384 + 512 = 896 of them cached, 58 + 21 + 64 = 143 out; the
    // root span repeats these sums in its own ai.usage.*, which must not be counted again.
    expect(totals).toEqual({ llm_calls: 3, tool_calls: 3, input_tokens: 1798, output_tokens: 143, cache_read_tokens: 896 });
    const sdk = run.result.totalUsage;
    expect([sdk.inputTokens, sdk.outputTokens, sdk.inputTokenDetails.cacheReadTokens]).toEqual([1798, 143, 896]);
  });

  it("records each step's LLM call with its models and the exact tokens the model reported", async () => {
    const calls = await actionsOf(String(session.session_id), 'llm_call');
    expect(calls.map((c) => ({
      agent_name: c.agent_name, model: c.model, request_model: c.request_model, provider: c.provider, status: c.status,
      input_tokens: Number(c.input_tokens), output_tokens: Number(c.output_tokens), cache_read_tokens: Number(c.cache_read_tokens),
      finish_reasons: c.finish_reasons,
    }))).toEqual(STEPS.map((s, i) => ({
      agent_name: FUNCTION_ID, model: RESPONSE_MODEL, request_model: REQUEST_MODEL, provider: 'openai', status: 'completed',
      input_tokens: s.usage.input, output_tokens: s.usage.output, cache_read_tokens: s.usage.cacheRead,
      finish_reasons: [i < 2 ? 'tool-calls' : 'stop'],
    })));
  });

  it('prices each LLM call from the price table, and the session as their sum', async () => {
    const calls = await actionsOf(String(session.session_id), 'llm_call');
    expect(calls.map((c) => c.cost_source)).toEqual(['computed', 'computed', 'computed']);
    calls.forEach((c, i) => expect(c.cost_usd).toBeCloseTo(STEP_COSTS[i] as number, 12));
    expect(session.cost_usd).toBeCloseTo(RUN_COST, 12);
    expect(Number(session.unpriced_calls)).toBe(0);
  });

  it('records each tool call with its name, the call id the model gave it, and its status', async () => {
    const calls = await actionsOf(String(session.session_id), 'tool_call');
    // The two tools of step 1 start together; compare them by call id, not by start order.
    expect(calls.map((c) => ({ agent_name: c.agent_name, tool_name: c.tool_name, tool_call_id: c.tool_call_id, status: c.status, error: c.error }))
      .sort((a, b) => String(a.tool_call_id).localeCompare(String(b.tool_call_id)))).toEqual([
      { agent_name: FUNCTION_ID, tool_name: 'bookHotel', tool_call_id: 'call_book_alfama', status: 'completed', error: '' },
      { agent_name: FUNCTION_ID, tool_name: 'findHotels', tool_call_id: 'call_hotels_lis', status: 'completed', error: '' },
      { agent_name: FUNCTION_ID, tool_name: 'getWeather', tool_call_id: 'call_weather_lis', status: 'completed', error: '' },
    ]);
  });

  it('numbers the actions in the order they ran: each step, then the tools it asked for', async () => {
    const actions = await t.query<Row>(
      `SELECT action_type, tool_call_id FROM ${ACTIONS} WHERE session_id = {session:String} ORDER BY sequence`,
      { session: String(session.session_id) },
    );
    expect(actions.map((a) => a.action_type)).toEqual(['llm_call', 'tool_call', 'tool_call', 'llm_call', 'tool_call', 'llm_call']);
    expect(actions[4]?.tool_call_id).toBe('call_book_alfama');
  });

  it('records no communications for a single agent', async () => {
    const rows = await t.query<Row>(`SELECT * FROM ${COMMUNICATIONS} WHERE trace_id = {trace:String}`, { trace: String(session.trace_id) });
    expect(rows).toEqual([]);
  });
});

describe('a generateText run where a tool throws', () => {
  // The SDK catches the tool's error, records it on the tool span and hands it to the model as
  // the tool's result; the model answers without hotels and the run succeeds.
  const STEPS: ModelResponse[] = [
    modelResponse('chatcmpl-down-1', [
      toolCall('call_weather_opo', 'getWeather', { city: 'Porto' }),
      toolCall('call_hotels_opo', 'findHotels', { city: 'Porto', maxPricePerNight: 150 }),
    ], { input: 380, cacheRead: 0, output: 46 }),
    modelResponse('chatcmpl-down-2', [text('Sunny in Porto, but hotel search is down; try again later.')], { input: 470, cacheRead: 256, output: 39 }),
  ];
  // gpt-4o-mini as above:
  //   step 1: 380 × 0.15 + 46 × 0.6 = 57.00 + 27.60 = 84.60
  //   step 2: 214 × 0.15 + 256 × 0.075 + 39 × 0.6 = 32.10 + 19.20 + 23.40 = 74.70
  //   run:    84.60 + 74.70 = 159.30 per 1M → 0.0001593
  const RUN_COST = 0.0001593;

  let run: Run;
  let session: Row;
  beforeAll(async () => {
    run = await runTripPlanner(url, STEPS, true);
    expectExported(run, 1 + 2 + 2);
    session = await sessionOf(run);
  });

  it('went on after the tool threw: the model saw the error and answered', () => {
    expect(run.result.steps).toHaveLength(2);
    expect(run.result.steps[0]?.content.filter((p) => p.type === 'tool-error').map((p) => p.toolCallId)).toEqual(['call_hotels_opo']);
    expect(run.result.text).toBe('Sunny in Porto, but hotel search is down; try again later.');
  });

  it('marks the throwing tool call failed with its error message, and the other completed', async () => {
    const calls = await actionsOf(String(session.session_id), 'tool_call');
    expect(calls.map((c) => ({ tool_name: c.tool_name, tool_call_id: c.tool_call_id, status: c.status, error: c.error }))
      .sort((a, b) => String(a.tool_call_id).localeCompare(String(b.tool_call_id)))).toEqual([
      { tool_name: 'findHotels', tool_call_id: 'call_hotels_opo', status: 'failed', error: HOTEL_ERROR },
      { tool_name: 'getWeather', tool_call_id: 'call_weather_opo', status: 'completed', error: '' },
    ]);
  });

  it('keeps the session completed, with the failed call counted and its error on the session', () => {
    expect(session).toMatchObject({ agent_name: FUNCTION_ID, conversation_id: run.sessionId, user_id: USER_ID, status: 'completed', error_message: HOTEL_ERROR });
    expect({
      llm_calls: Number(session.llm_calls), tool_calls: Number(session.tool_calls), errors: Number(session.errors),
      input_tokens: Number(session.input_tokens), output_tokens: Number(session.output_tokens), cache_read_tokens: Number(session.cache_read_tokens),
    }).toEqual({ llm_calls: 2, tool_calls: 2, errors: 1, input_tokens: 850, output_tokens: 85, cache_read_tokens: 256 });
    expect(session.cost_usd).toBeCloseTo(RUN_COST, 12);
  });
});
