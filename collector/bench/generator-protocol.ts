/**
 * What the load generator prints on stdout, one JSON object per line, for the orchestrator:
 * `started` when the first request goes out, then one `result` when it has finished.
 */
import type { LatencySummary } from './stats.js';

/** Everything the generator measured. Span counts are spans, not requests. */
export interface LoadResult {
  /** Distinct spans put on the wire (a batch resent after 429/503 counts once). */
  sentSpans: number;
  /** Spans the server acknowledged (2xx, minus any partial-success rejections). */
  ackedSpans: number;
  /** Spans a 2xx response reported as rejected (OTLP partial success). */
  partiallyRejectedSpans: number;
  /** HTTP requests sent, resends included. */
  requests: number;
  /** 429/502/503/504 responses (each followed by a resend of the same batch). */
  rejectedResponses: number;
  /** Network errors, timeouts and non-retryable HTTP statuses. */
  errors: number;
  /** Up to five distinct error descriptions. */
  errorSamples: string[];
  /** Send → 2xx response, per acknowledged request, ms. Percentiles are null when nothing was acked. */
  latenciesMs: LatencySummary;
  /** Spans acknowledged in each second since the first request (index 0 = first second). */
  ackedPerSecond: number[];
  /** Configured sending duration, s. */
  durationS: number;
  /** First request → last response, s (the duration plus draining in-flight requests). */
  elapsedS: number;
  connections: number;
  spansPerBatch: number;
  /** Mean encoded request size, bytes. */
  meanBatchBytes: number;
  /** The generator's own CPU while sending: user + system seconds, and as cores. */
  cpuSeconds: number;
  cpuCores: number;
}

/** One line of generator output. */
export type GeneratorMessage = { type: 'started' } | { type: 'result'; result: LoadResult };

/** Serialises a message as one line (NaN percentiles become null, per JSON). */
export function formatGeneratorMessage(message: GeneratorMessage): string {
  return JSON.stringify(message);
}

/** Parses one stdout line; undefined for anything that is not a generator message. */
export function parseGeneratorMessage(line: string): GeneratorMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as { type?: unknown; result?: { ackedSpans?: unknown } };
  if (message.type === 'started') return { type: 'started' };
  if (message.type === 'result' && typeof message.result?.ackedSpans === 'number') {
    return value as GeneratorMessage;
  }
  return undefined;
}
