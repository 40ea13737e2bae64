import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Attributes } from '@opentelemetry/api';
import { AGENTFLOW, RESOURCE } from '@agentflow/schemas';
import { createLiveSignalProcessor } from './live-signals.js';
import { count, text } from './values.js';

/** Options of {@link startAgentTelemetry}. */
export interface AgentTelemetryOptions {
  /** `service.name` of every span and log record. Required. */
  serviceName: string;
  /** Base URL of the OTLP/HTTP receiver; `/v1/traces` and `/v1/logs` are appended. Default `http://127.0.0.1:4318`. */
  endpoint?: string;
  /** `service.instance.id`: this process in the agent registry. Default a random UUID per call. */
  serviceInstanceId?: string;
  /** `agentflow.agent.type` resource attribute: the kind of agent this process runs. */
  agentType?: string;
  /** `agentflow.agent.capacity`: sessions this process can run at once (also in heartbeats). */
  capacity?: number;
  /** Heartbeat period in milliseconds. Default 10,000; 0 turns heartbeats off. */
  heartbeatIntervalMs?: number;
  /** Longest wait before queued spans and log records are exported, in milliseconds. Default 1,000. */
  exportIntervalMs?: number;
  /** Extra HTTP headers on every export, e.g. `{ authorization: 'Bearer …' }` or `{ 'x-api-key': … }`. */
  headers?: Record<string, string>;
}

/** What {@link startAgentTelemetry} started. */
export interface AgentTelemetry {
  /** `service.instance.id` in use. */
  readonly serviceInstanceId: string;
  /** Exports everything queued so far. Resolves even when the export fails (the SDK logs it through `diag`). */
  forceFlush(): Promise<void>;
  /**
   * Reports the instance offline, flushes and stops the SDK. Idempotent; resolves even when the
   * last export fails. Call it before the process exits.
   */
  shutdown(): Promise<void>;
}

/** The SDK packages, loaded on the first call. */
interface SdkModules {
  core: typeof import('@opentelemetry/core');
  logExporter: typeof import('@opentelemetry/exporter-logs-otlp-http');
  traceExporter: typeof import('@opentelemetry/exporter-trace-otlp-http');
  resources: typeof import('@opentelemetry/resources');
  sdkLogs: typeof import('@opentelemetry/sdk-logs');
  sdkNode: typeof import('@opentelemetry/sdk-node');
  sdkTrace: typeof import('@opentelemetry/sdk-trace-base');
}

/**
 * Loads the SDK only when the helper is called: importing `@opentelemetry/sdk-node` takes over a
 * second, and an agent that only uses the tracker (with its own SDK or none) must not pay for it.
 * Every OpenTelemetry package ships CommonJS and shares its globals through `@opentelemetry/api`.
 */
function loadSdk(): SdkModules {
  const load = createRequire(import.meta.url);
  return {
    core: load('@opentelemetry/core') as SdkModules['core'],
    logExporter: load('@opentelemetry/exporter-logs-otlp-http') as SdkModules['logExporter'],
    traceExporter: load('@opentelemetry/exporter-trace-otlp-http') as SdkModules['traceExporter'],
    resources: load('@opentelemetry/resources') as SdkModules['resources'],
    sdkLogs: load('@opentelemetry/sdk-logs') as SdkModules['sdkLogs'],
    sdkNode: load('@opentelemetry/sdk-node') as SdkModules['sdkNode'],
    sdkTrace: load('@opentelemetry/sdk-trace-base') as SdkModules['sdkTrace'],
  };
}

/** Default OTLP/HTTP endpoint: agentflow (or a Collector) on this machine. */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4318';
const DEFAULT_EXPORT_INTERVAL_MS = 1_000;

/** The endpoint without trailing slashes; a URL that is not http(s) is a configuration error. */
function baseUrl(endpoint: unknown): string {
  const raw = endpoint === undefined ? DEFAULT_ENDPOINT : String(endpoint);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`startAgentTelemetry: endpoint is not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`startAgentTelemetry: endpoint must be http(s): ${raw}`);
  }
  return raw.replace(/\/+$/, '');
}

/**
 * Starts the OpenTelemetry Node SDK for an agent process: OTLP/HTTP exporters for traces and logs to
 * `${endpoint}/v1/traces` and `${endpoint}/v1/logs`, a resource naming the service, the instance,
 * the agent type and capacity, W3C Trace Context and Baggage propagation, the SDK's
 * AsyncLocalStorage context manager, and the live-signal processor (`agentflow.span.start`,
 * `agentflow.heartbeat`). No metrics and no auto-instrumentations are set up.
 *
 * It registers the global providers, so call it once, first thing. An application that already
 * runs its own SDK should not call it: {@link createAgentTracker} works with any registered SDK,
 * and {@link createLiveSignalProcessor} can be added to that SDK's span processors.
 *
 * @throws TypeError on bad options (no `serviceName`, an endpoint that is not an http(s) URL):
 *   configuration fails fast, at start.
 */
export function startAgentTelemetry(options: AgentTelemetryOptions): AgentTelemetry {
  const serviceName = text(options?.serviceName);
  if (serviceName === undefined) throw new TypeError('startAgentTelemetry: serviceName is required');
  const endpoint = baseUrl(options.endpoint);
  const serviceInstanceId = text(options.serviceInstanceId) ?? randomUUID();
  const capacity = count(options.capacity);
  const exportIntervalMs = count(options.exportIntervalMs) || DEFAULT_EXPORT_INTERVAL_MS;
  const headers = options.headers;

  const attributes: Attributes = {
    [RESOURCE.SERVICE_NAME]: serviceName,
    [RESOURCE.SERVICE_INSTANCE_ID]: serviceInstanceId,
  };
  const agentType = text(options.agentType);
  if (agentType !== undefined) attributes[AGENTFLOW.AGENT_TYPE] = agentType;
  if (capacity !== undefined) attributes[AGENTFLOW.AGENT_CAPACITY] = capacity;

  const { core, logExporter, traceExporter, resources, sdkLogs, sdkNode, sdkTrace } = loadSdk();
  const spans = new sdkTrace.BatchSpanProcessor(new traceExporter.OTLPTraceExporter({ url: `${endpoint}/v1/traces`, headers }), {
    scheduledDelayMillis: exportIntervalMs,
  });
  const records = new sdkLogs.BatchLogRecordProcessor({
    exporter: new logExporter.OTLPLogExporter({ url: `${endpoint}/v1/logs`, headers }),
    scheduledDelayMillis: exportIntervalMs,
  });
  const live = createLiveSignalProcessor({ heartbeatIntervalMs: options.heartbeatIntervalMs, capacity });
  const sdk = new sdkNode.NodeSDK({
    serviceName,
    resource: resources.resourceFromAttributes(attributes),
    // The live processor goes first: a start record is emitted before the span is queued for export.
    spanProcessors: [live, spans],
    logRecordProcessors: [records],
    // An empty list keeps the SDK from building an OTLP metrics exporter agentflow does not read.
    metricReaders: [],
    textMapPropagator: new core.CompositePropagator({
      propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
    }),
  });
  sdk.start();

  let stopping: Promise<void> | undefined;
  const settle = (p: () => Promise<unknown>): Promise<void> => p().then(() => undefined, () => undefined);
  return {
    serviceInstanceId,
    forceFlush: () => settle(() => Promise.all([spans.forceFlush(), records.forceFlush()])),
    // Order: the offline heartbeat is emitted while the log pipeline is still open, then the SDK
    // shuts every provider down, each flushing its processors first.
    shutdown: () => (stopping ??= settle(() => live.shutdown()).then(() => settle(() => sdk.shutdown()))),
  };
}
