/** Stable codes of {@link OtlpDecodeError}: which encoding the undecodable body claimed to be. */
export type OtlpDecodeErrorCode = 'OTLP_INVALID_PROTOBUF' | 'OTLP_INVALID_JSON';

/**
 * Thrown by the OTLP decoders when a request body cannot be decoded at all (broken protobuf
 * framing, malformed JSON, a container of the wrong type). The message names the broken rule,
 * e.g. `invalid protobuf: field 2 of Span has wire type 0, expected 2`, so the receiver can pass
 * it on in its 400 answer. Spans that decode but break a rule are not thrown: they are counted in
 * `DecodeResult.rejected`.
 */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';

  constructor(
    readonly code: OtlpDecodeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An undecodable protobuf body: `invalid protobuf: …` or `truncated protobuf: …`. */
export function protobufError(message: string): OtlpDecodeError {
  return new OtlpDecodeError('OTLP_INVALID_PROTOBUF', message);
}

/** An undecodable JSON body: `invalid JSON: …` or a shape rule such as `resourceSpans must be an array`. */
export function jsonError(message: string, cause?: unknown): OtlpDecodeError {
  return new OtlpDecodeError('OTLP_INVALID_JSON', message, cause === undefined ? undefined : { cause });
}
