import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LogRow, SpanRow } from '@agentflow/schemas';
import { AgentflowError, ERROR_CODES, type WriteOutcome } from '../errors.js';
import type { RowSink } from '../storage/index.js';
import { decodeContentEncoding } from './body.js';
import { OtlpDecodeError, type DecodeResult } from './otlp/index.js';
import { LOG_DECODERS, SPAN_DECODERS, type Decoder, type ExportFormat } from './decoders.js';
import { contentTypeOf, exportResponse, GRPC_CODE, statusResponse, type OtlpEncoding, type OtlpSignal } from './otlp-response.js';

/** The writer call the receiver needs (a port: tests may pass a fake). */
export interface RowWriter {
  write<Row>(sink: RowSink<Row>, rows: readonly Row[]): Promise<WriteOutcome>;
}

/** What the OTLP routes need from the app. */
export interface OtlpRoutesOptions {
  writer: RowWriter;
  spanSink: RowSink<SpanRow>;
  logSink: RowSink<LogRow>;
  /** Largest body accepted, before and after decompression, in bytes. */
  maxBodyBytes: number;
  /** The tenant an export is stored under. */
  tenantOf(request: FastifyRequest): string;
  /** What later stages make of an export's spans once they are durable (trace assembly, the live stream). */
  spansStored?: StoredHook<SpanRow>;
  /** What later stages make of an export's log records once they are durable (the live stream). */
  logsStored?: StoredHook<LogRow>;
}

/** An export once it is durable: its body as received (after Content-Encoding) and how to read it. */
export interface StoredExport {
  format: ExportFormat;
  tenantId: string;
  /** Handed over: the receiver does not touch it again, so a stage may move it to another thread. */
  body: Buffer;
}

/**
 * Hands an export on once it is durable, in two steps. `prepare` runs before the write: it keeps
 * only what later stages need from the decoded rows (which then die young instead of outliving
 * the log sync and being promoted to the old generation), and may refuse the export by throwing
 * an AgentflowError (429 while a later stage is behind), before anything is stored.
 */
export interface StoredHook<Row, Prepared = unknown> {
  prepare(rows: readonly Row[]): Prepared;
  stored(prepared: Prepared, exported: StoredExport): void;
}

/** A {@link StoredHook} with its prepared type checked where it is built. */
export function storedHook<Row, Prepared>(hook: StoredHook<Row, Prepared>): StoredHook<Row> {
  return hook as StoredHook<Row>;
}

const DECODERS: Record<OtlpSignal, Partial<Record<ExportFormat, Decoder<unknown>>>> = { traces: SPAN_DECODERS, logs: LOG_DECODERS };

/** Where the OpenAI Agents SDK's exporter posts (OpenAI's own path, so only the host changes). */
export const OPENAI_TRACES_PATH = '/v1/traces/ingest';

const MEDIA_TYPES = ['application/x-protobuf', 'application/json'];
const OTHER_METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

/**
 * OTLP/HTTP receiver: `POST /v1/traces` and `POST /v1/logs`, protobuf or JSON, optionally gzip.
 * Registered as an encapsulated plugin so its raw-buffer body parsers and OTLP-shaped error
 * answers do not leak into the REST API.
 */
export async function otlpRoutes(app: FastifyInstance, opts: OtlpRoutesOptions): Promise<void> {
  // Bodies stay raw bytes: our decoders read protobuf straight into rows, and JSON.parse on the
  // raw buffer beats Fastify's default JSON parser for large exports.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(MEDIA_TYPES, { parseAs: 'buffer', bodyLimit: opts.maxBodyBytes }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: FastifyError, request, reply) => sendError(reply, encodingOf(request), toAgentflowError(err, request)));

  /** A POST route for `signal`; its body format follows Content-Type unless the route has one of its own. */
  const route = <Row>(signal: OtlpSignal, sink: RowSink<Row>, hook?: StoredHook<Row>, ownFormat?: ExportFormat) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const encoding = ownFormat ? 'json' : encodingOf(request);
      const body = await decodeContentEncoding(request.body as Buffer, request.headers['content-encoding'], opts.maxBodyBytes);
      const format: ExportFormat = ownFormat ?? `otlp-${encoding}`;
      const tenantId = opts.tenantOf(request);
      // Nothing below the write's await may refer to the decoded rows (see StoredHook).
      const { rows, rejected, errors } = decode(DECODERS[signal][format] as Decoder<Row>, body, encoding, tenantId, request);
      const prepared = hook?.prepare(rows);
      const outcome = await opts.writer.write(sink, rows);
      if (outcome.status !== 'committed') throw outcomeError(outcome);
      if (hook) hook.stored(prepared, { format, tenantId, body });
      if (rejected > 0) request.log.debug({ rejected, signal }, 'export partially rejected');
      return reply.code(200).type(contentTypeOf(encoding)).send(exportResponse(encoding, signal, rejected, errors.join('; ')));
    };

  app.post('/v1/traces', route('traces', opts.spanSink, opts.spansStored));
  app.post('/v1/logs', route('logs', opts.logSink, opts.logsStored));
  // The OpenAI Agents SDK's trace export (its OpenAITracingExporter pointed here): the same spans, another body.
  app.post(OPENAI_TRACES_PATH, route('traces', opts.spanSink, opts.spansStored, 'openai-traces'));
  for (const url of ['/v1/traces', '/v1/logs', OPENAI_TRACES_PATH]) {
    app.route({
      method: [...OTHER_METHODS],
      url,
      handler: async (request, reply) => {
        void reply.header('allow', 'POST');
        throw new AgentflowError(ERROR_CODES.METHOD_NOT_ALLOWED, 405, `${request.method} is not allowed on ${url}: OTLP exports use POST`);
      },
    });
  }
}

function decode<Row>(decoder: Decoder<Row>, body: Buffer, encoding: OtlpEncoding, tenantId: string, request: FastifyRequest): DecodeResult<Row> {
  if (encoding === 'json' && body.length === 0) {
    throw new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, 'invalid OTLP/JSON: empty body (an empty export is {})');
  }
  try {
    return decoder(body, tenantId);
  } catch (err) {
    if (err instanceof OtlpDecodeError) throw new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, err.message, undefined, { cause: err });
    // A decoder bug must not take the server down nor pass as success: answer 400 and log it loudly.
    request.log.error({ err }, 'decoder failed unexpectedly');
    throw new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, `undecodable OTLP ${encoding} body`, undefined, { cause: err });
  }
}

function outcomeError(outcome: Exclude<WriteOutcome, { status: 'committed' }>): AgentflowError {
  switch (outcome.status) {
    case 'overloaded':
      return new AgentflowError(ERROR_CODES.OVERLOADED, 429, 'collector is at its queue limit; retry later', outcome.retryAfterSeconds);
    case 'unavailable':
      return new AgentflowError(ERROR_CODES.STORAGE_UNAVAILABLE, 503, `storage unavailable: ${outcome.message}`, outcome.retryAfterSeconds);
    case 'failed':
      return new AgentflowError(ERROR_CODES.INTERNAL, 500, `storage refused the rows: ${outcome.message}`);
  }
}

function encodingOf(request: FastifyRequest): OtlpEncoding {
  const type = request.headers['content-type'] ?? '';
  return type.toLowerCase().startsWith('application/x-protobuf') ? 'protobuf' : 'json';
}

/** Maps Fastify's own errors (media type, body size, framing) onto our catalogue. */
function toAgentflowError(err: FastifyError, request: FastifyRequest): AgentflowError {
  if (err instanceof AgentflowError) return err;
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new AgentflowError(
        ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, 415,
        `unsupported Content-Type '${request.headers['content-type'] ?? ''}': OTLP/HTTP takes application/x-protobuf or application/json`,
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AgentflowError(ERROR_CODES.PAYLOAD_TOO_LARGE, 413, err.message);
  }
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return new AgentflowError(ERROR_CODES.BAD_REQUEST, err.statusCode, err.message);
  }
  request.log.error({ err }, 'unexpected error in the OTLP receiver');
  return new AgentflowError(ERROR_CODES.INTERNAL, 500, 'internal error');
}

function grpcCodeOf(status: number): number {
  if (status === 429 || status === 413) return GRPC_CODE.RESOURCE_EXHAUSTED;
  if (status === 503) return GRPC_CODE.UNAVAILABLE;
  if (status >= 500) return GRPC_CODE.INTERNAL;
  return GRPC_CODE.INVALID_ARGUMENT;
}

function sendError(reply: FastifyReply, encoding: OtlpEncoding, err: AgentflowError): FastifyReply {
  if (err.retryAfterSeconds !== undefined) void reply.header('retry-after', String(err.retryAfterSeconds));
  return reply.code(err.statusCode).type(contentTypeOf(encoding)).send(statusResponse(encoding, grpcCodeOf(err.statusCode), err.message));
}
