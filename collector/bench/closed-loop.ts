/**
 * Closed-loop OTLP/HTTP load: N keep-alive connections, each sending its next batch as soon as
 * the previous one is answered, until a deadline; then waits for what is in flight.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { LoadResult } from './generator-protocol.js';
import { stampBatch, type BatchTemplate } from './span-batches.js';
import { summarizeLatencies } from './stats.js';

/** Options for {@link runClosedLoop}. */
export interface ClosedLoopOptions {
  /** The OTLP traces endpoint, e.g. http://127.0.0.1:4318/v1/traces. */
  url: URL;
  durationS: number;
  connections: number;
  templates: BatchTemplate[];
  /** A request not answered within this is aborted and counted as an error. Default 30 s. */
  requestTimeoutMs?: number;
  /** Called once, just before the first request is sent. */
  onStart?: () => void;
}

type PostOutcome =
  | { kind: 'acked'; latencyMs: number; rejectedSpans: number }
  | { kind: 'retry-later'; status: number; waitMs: number }
  | { kind: 'failed'; message: string; resend: boolean };

// OTLP/HTTP: 429, 502, 503 and 504 are retryable; other 4xx/5xx are permanent (spec "Failures").
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const DEFAULT_RETRY_AFTER_MS = 1_000;
const MAX_RETRY_AFTER_MS = 30_000;
const ERROR_BACKOFF_MS = 250;
const MAX_RESPONSE_BYTES = 64 * 1024;

/** Runs the load and returns what it measured; network failures are counted, never thrown. */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<LoadResult> {
  const { url, connections, templates } = options;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const maxBatchBytes = Math.max(...templates.map((t) => t.bytes.length));
  const stats = {
    sentSpans: 0,
    ackedSpans: 0,
    partiallyRejectedSpans: 0,
    requests: 0,
    rejectedResponses: 0,
    errors: 0,
    sentBytes: 0,
    batches: 0,
  };
  const errorSamples = new Set<string>();
  const latencies: number[] = [];
  const ackedPerSecond: number[] = [];
  let nextRequestId = 1;

  options.onStart?.();
  const cpuStart = process.cpuUsage();
  const startMs = performance.now();
  const deadline = startMs + options.durationS * 1000;
  /** Sleeps `ms` and resolves true, or resolves false at once if that would pass the deadline. */
  const sleepUntilDeadline = (ms: number): Promise<boolean> => {
    if (performance.now() + ms >= deadline) return Promise.resolve(false);
    return new Promise((resolve) => setTimeout(() => resolve(true), ms));
  };

  const connection = async (): Promise<void> => {
    // One scratch buffer per connection: a batch is re-stamped only after its request closed.
    const scratch = Buffer.allocUnsafe(maxBatchBytes);
    while (performance.now() < deadline) {
      const template = templates[stats.batches++ % templates.length] as BatchTemplate;
      const body = stampBatch(template, scratch, nextRequestId++);
      stats.sentSpans += template.spanCount;
      // Resend the same bytes (same ids) until acknowledged, refused for good, or out of time.
      for (;;) {
        stats.requests++;
        stats.sentBytes += body.length;
        const outcome = await post(agent, url, body, timeoutMs);
        if (outcome.kind === 'acked') {
          const acked = Math.max(0, template.spanCount - outcome.rejectedSpans);
          stats.ackedSpans += acked;
          stats.partiallyRejectedSpans += template.spanCount - acked;
          latencies.push(outcome.latencyMs);
          const second = Math.floor((performance.now() - startMs) / 1000);
          while (ackedPerSecond.length <= second) ackedPerSecond.push(0);
          ackedPerSecond[second] = (ackedPerSecond[second] ?? 0) + acked;
          break;
        }
        // A wait that would end past the deadline ends this connection: nothing more may be sent.
        if (outcome.kind === 'retry-later') {
          stats.rejectedResponses++;
          if (!(await sleepUntilDeadline(outcome.waitMs))) return;
          continue;
        }
        stats.errors++;
        if (errorSamples.size < 5) errorSamples.add(outcome.message);
        // Back off so a dead server is not hammered; resend only what a real exporter would.
        if (!(await sleepUntilDeadline(ERROR_BACKOFF_MS))) return;
        if (outcome.resend) continue;
        break;
      }
    }
  };

  await Promise.all(Array.from({ length: connections }, connection));
  const elapsedS = (performance.now() - startMs) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  agent.destroy();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    sentSpans: stats.sentSpans,
    ackedSpans: stats.ackedSpans,
    partiallyRejectedSpans: stats.partiallyRejectedSpans,
    requests: stats.requests,
    rejectedResponses: stats.rejectedResponses,
    errors: stats.errors,
    errorSamples: [...errorSamples],
    latenciesMs: summarizeLatencies(latencies),
    ackedPerSecond,
    durationS: options.durationS,
    elapsedS,
    connections,
    spansPerBatch: templates[0]?.spanCount ?? 0,
    meanBatchBytes: stats.requests === 0 ? 0 : stats.sentBytes / stats.requests,
    cpuSeconds,
    cpuCores: elapsedS > 0 ? cpuSeconds / elapsedS : 0,
  };
}

/**
 * One POST. Resolves only after the request has closed, so the caller may then reuse `body`'s
 * memory (the socket may still be writing it when an early response arrives).
 */
function post(agent: Agent, url: URL, body: Buffer, timeoutMs: number): Promise<PostOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    let outcome: PostOutcome | undefined;
    const req = request(
      url,
      {
        agent,
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        res.on('end', () => {
          outcome = classify(res.statusCode ?? 0, res.headers, Buffer.concat(chunks), performance.now() - started);
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A network failure leaves the server's state unknown: resend, as OTLP exporters do.
      outcome ??= { kind: 'failed', message: error.code ?? error.message, resend: true };
    });
    req.on('close', () => {
      clearTimeout(timer);
      resolve(outcome ?? { kind: 'failed', message: 'connection closed before the response ended', resend: true });
    });
    req.end(body);
  });
}

function classify(status: number, headers: IncomingHttpHeaders, body: Buffer, latencyMs: number): PostOutcome {
  if (status >= 200 && status < 300) return { kind: 'acked', latencyMs, rejectedSpans: rejectedSpans(body) };
  if (RETRYABLE_STATUSES.has(status)) return { kind: 'retry-later', status, waitMs: retryAfterMs(headers['retry-after']) };
  return { kind: 'failed', message: `HTTP ${status}`, resend: false };
}

/** `partial_success.rejected_spans` of an ExportTraceServiceResponse; 0 for an empty or odd body. */
function rejectedSpans(body: Buffer): number {
  if (body.length === 0) return 0;
  try {
    const rejected = ProtobufTraceSerializer.deserializeResponse(body).partialSuccess?.rejectedSpans;
    return rejected === undefined || rejected === null ? 0 : Number(rejected);
  } catch {
    return 0;
  }
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date; capped so one header cannot stall the run. */
function retryAfterMs(header: string | undefined): number {
  if (header === undefined || header.trim() === '') return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  if (!Number.isFinite(ms)) return DEFAULT_RETRY_AFTER_MS;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
