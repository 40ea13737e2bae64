import { ROOT_CONTEXT, trace, type Attributes, type Context } from '@opentelemetry/api';
import { logs, SeverityNumber, type LoggerProvider, type LogAttributes } from '@opentelemetry/api-logs';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AGENT_INSTANCE_STATUS, AGENTFLOW, GEN_AI, GEN_AI_OPERATION } from '@agentflow/schemas';
import { quietly } from './run-in-span.js';
import { DEFAULT_TRACER_NAME, INSTRUMENTATION_VERSION } from './scope.js';
import { count, text } from './values.js';

/** Options of {@link createLiveSignalProcessor}. */
export interface LiveSignalOptions {
  /** Where the log records go. Default: the global logs API, i.e. the SDK's logger provider once one is registered. */
  loggerProvider?: LoggerProvider;
  /** Heartbeat period in milliseconds. Default 10,000; 0 turns the timer off (call `heartbeat()` yourself). */
  heartbeatIntervalMs?: number;
  /** Sessions this instance can run at once, reported with each heartbeat. */
  capacity?: number;
}

/** A span processor that makes running work visible before its spans end. */
export interface LiveSignalProcessor extends SpanProcessor {
  /** Agent sessions (`invoke_agent` spans) started in this process and not yet ended. */
  readonly load: number;
  /** Emits one `agentflow.heartbeat` record now. Never throws. */
  heartbeat(): void;
}

/** Default heartbeat period. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;

/** Operations whose start is reported: agents, model calls and tool calls. */
const LIVE_OPERATIONS: ReadonlySet<string> = new Set([
  GEN_AI_OPERATION.INVOKE_AGENT, GEN_AI_OPERATION.INVOKE_WORKFLOW, GEN_AI_OPERATION.CHAT, GEN_AI_OPERATION.TEXT_COMPLETION,
  GEN_AI_OPERATION.GENERATE_CONTENT, GEN_AI_OPERATION.EXECUTE_TOOL,
]);

/** Span attributes copied onto the start record, so a reader need not wait for the span. */
const COPIED_KEYS = [
  GEN_AI.OPERATION_NAME, GEN_AI.AGENT_ID, GEN_AI.CONVERSATION_ID, GEN_AI.WORKFLOW_NAME, GEN_AI.REQUEST_MODEL,
  GEN_AI.PROVIDER_NAME, GEN_AI.TOOL_NAME, GEN_AI.TOOL_CALL_ID, AGENTFLOW.AGENT_TYPE, AGENTFLOW.GOAL, AGENTFLOW.TRIGGER,
  AGENTFLOW.TASK_ID, AGENTFLOW.ACTION_TYPE, AGENTFLOW.RETRY_ATTEMPT,
] as const;

/** Bound on the open spans remembered for agent names: spans that never end must not grow memory without limit. */
const MAX_TRACKED_SPANS = 10_000;

/** Nanoseconds since the epoch of an HrTime, as a decimal string (exact, unlike a double). */
function hrTimeNanos([seconds, nanos]: [number, number]): string {
  return (BigInt(seconds) * 1_000_000_000n + BigInt(nanos)).toString();
}

class LiveSignals implements LiveSignalProcessor {
  readonly #provider: LoggerProvider | undefined;
  readonly #intervalMs: number;
  readonly #capacity: number | undefined;
  /** Agent name by span id of each open tracked span (a child inherits its parent's). */
  readonly #agentBySpan = new Map<string, string>();
  readonly #openSessions = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #loggerProvider: LoggerProvider | undefined;
  #logger: ReturnType<LoggerProvider['getLogger']> | undefined;

  constructor(options: LiveSignalOptions) {
    this.#provider = options.loggerProvider;
    this.#capacity = count(options.capacity);
    const interval = count(options.heartbeatIntervalMs) ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    this.#intervalMs = interval;
    if (interval > 0) {
      // The first beat waits a tick: an SDK registers its logger provider after building its processors.
      const first = setTimeout(() => this.heartbeat(), 0);
      first.unref();
      this.#timer = setInterval(() => this.heartbeat(), interval);
      // A heartbeat must never keep a finished agent process alive.
      this.#timer.unref();
    }
  }

  get load(): number {
    return this.#openSessions.size;
  }

  #emit(eventName: string, attributes: LogAttributes, extra: { timestamp?: [number, number]; context?: Context } = {}): void {
    // The provider is looked up per record (a logger taken before the SDK registers its provider
    // would stay a no-op), but its logger is reused while the provider stays the same.
    const provider = this.#provider ?? logs.getLoggerProvider();
    if (provider !== this.#loggerProvider) {
      this.#loggerProvider = provider;
      this.#logger = provider.getLogger(DEFAULT_TRACER_NAME, INSTRUMENTATION_VERSION);
    }
    this.#logger?.emit({ eventName, severityNumber: SeverityNumber.INFO, severityText: 'INFO', attributes, ...extra });
  }

  onStart(span: Span, parentContext: Context): void {
    if (this.#stopped) return;
    quietly(() => {
      const attrs: Attributes = span.attributes;
      const operation = attrs[GEN_AI.OPERATION_NAME];
      const isLive = (typeof operation === 'string' && LIVE_OPERATIONS.has(operation)) || attrs[AGENTFLOW.ACTION_TYPE] !== undefined;
      if (!isLive) return;
      const { traceId, spanId } = span.spanContext();
      const parentSpanId = span.parentSpanContext?.spanId ?? '';
      const agentName = text(attrs[GEN_AI.AGENT_NAME]) ?? this.#agentBySpan.get(parentSpanId) ?? '';
      if (this.#agentBySpan.size < MAX_TRACKED_SPANS) this.#agentBySpan.set(spanId, agentName);
      if (operation === GEN_AI_OPERATION.INVOKE_AGENT) this.#openSessions.add(spanId);
      const record: LogAttributes = {
        [AGENTFLOW.SPAN_TRACE_ID]: traceId,
        [AGENTFLOW.SPAN_ID]: spanId,
        [AGENTFLOW.SPAN_PARENT_SPAN_ID]: parentSpanId,
        [AGENTFLOW.SPAN_NAME]: span.name,
        [AGENTFLOW.SPAN_START_TIME_UNIX_NANO]: hrTimeNanos(span.startTime),
        [GEN_AI.AGENT_NAME]: agentName,
      };
      for (const key of COPIED_KEYS) {
        const value = attrs[key];
        if (value !== undefined) record[key] = value;
      }
      // The record carries the span's own context, so its TraceId/SpanId columns are the span's.
      const context = trace.setSpan(parentContext ?? ROOT_CONTEXT, span);
      this.#emit(AGENTFLOW.SPAN_START_EVENT, record, { timestamp: span.startTime, context });
    });
  }

  onEnd(span: ReadableSpan): void {
    quietly(() => {
      const { spanId } = span.spanContext();
      this.#agentBySpan.delete(spanId);
      this.#openSessions.delete(spanId);
    });
  }

  heartbeat(): void {
    if (this.#stopped) return;
    quietly(() => this.#beat(this.#status()));
  }

  /** Busy when it cannot take more work: at capacity, or running anything when no capacity was declared. */
  #status(): string {
    const load = this.load;
    const full = this.#capacity === undefined ? load > 0 : load >= this.#capacity;
    return full ? AGENT_INSTANCE_STATUS.BUSY : AGENT_INSTANCE_STATUS.ONLINE;
  }

  #beat(status: string): void {
    const record: LogAttributes = {
      [AGENTFLOW.INSTANCE_STATUS]: status,
      [AGENTFLOW.INSTANCE_LOAD]: this.load,
      [AGENTFLOW.HEARTBEAT_INTERVAL_MS]: this.#intervalMs,
    };
    if (this.#capacity !== undefined) record[AGENTFLOW.AGENT_CAPACITY] = this.#capacity;
    this.#emit(AGENTFLOW.HEARTBEAT_EVENT, record);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Stops the timer and reports the instance offline, once; later calls do nothing. */
  shutdown(): Promise<void> {
    if (!this.#stopped) {
      if (this.#timer) clearInterval(this.#timer);
      quietly(() => this.#beat(AGENT_INSTANCE_STATUS.OFFLINE));
      this.#stopped = true;
    }
    return Promise.resolve();
  }
}

/**
 * Creates the live-signal span processor: when an agent, model or tool span (by
 * `gen_ai.operation.name`, or any span with `agentflow.action.type`) starts, it emits an
 * `agentflow.span.start` log record with the span's ids, name, start time, agent name and key
 * attributes; every `heartbeatIntervalMs` it emits an `agentflow.heartbeat` record with the
 * instance's status (`online`/`busy`), load (open sessions) and capacity, and `offline` once on
 * shutdown. The timer is unref'd. Add it to an application's own SDK next to its exporting
 * processor, or let {@link startAgentTelemetry} do so.
 */
export function createLiveSignalProcessor(options: LiveSignalOptions = {}): LiveSignalProcessor {
  return new LiveSignals(typeof options === 'object' && options !== null ? options : {});
}
