/**
 * The id and time rules a span or log record must meet to be stored, shared by the protobuf and
 * JSON decoders. Each check returns '' when the rule holds, else the reason in words.
 * W3C Trace Context: an all-zero trace or span id is invalid.
 */

/** Bytes in a trace id. */
export const TRACE_ID_BYTES = 16;
/** Bytes in a span id. */
export const SPAN_ID_BYTES = 8;

const ZERO_TRACE_ID = '0'.repeat(TRACE_ID_BYTES * 2);
const ZERO_SPAN_ID = '0'.repeat(SPAN_ID_BYTES * 2);

/**
 * A required id: exactly `size` bytes and not all zero. `byteLength` is the length on the wire
 * (for JSON, half the hex digits); `hex` its lowercase hex.
 */
export function requiredIdProblem(name: string, size: number, byteLength: number, hex: string): string {
  if (byteLength !== size) return `${name} must be ${size} bytes, got ${byteLength}`;
  if (hex === (size === TRACE_ID_BYTES ? ZERO_TRACE_ID : ZERO_SPAN_ID)) return `${name} must not be all zeros`;
  return '';
}

/** An optional id (a parent span id, a log record's ids): empty or exactly `size` bytes. */
export function optionalIdProblem(name: string, size: number, byteLength: number): string {
  return byteLength === 0 || byteLength === size ? '' : `${name} must be empty or ${size} bytes, got ${byteLength}`;
}

/** True for an all-zero id, which OTLP senders use for "no span": stored as ''. */
export function isZeroId(hex: string): boolean {
  return hex === ZERO_TRACE_ID || hex === ZERO_SPAN_ID;
}

/** A span must not end before it starts. */
export function timeOrderProblem(start: bigint, end: bigint): string {
  return end < start ? `end_time_unix_nano ${end} is before start_time_unix_nano ${start}` : '';
}

/** DateTime64(9) holds nanoseconds in a signed 64-bit integer: later times (past 2262-04-11) do not fit. */
export const MAX_TIME_UNIX_NANO = 2n ** 63n - 1n;

/** A time must fit the DateTime64(9) columns it is stored in. */
export function timeRangeProblem(name: string, time: bigint): string {
  return time > MAX_TIME_UNIX_NANO ? `${name} ${time} is past the largest storable time (2^63 - 1 ns, in 2262)` : '';
}

/** The span's own times and its events' times fit, and it does not end before it starts. */
export function spanTimesProblem(start: bigint, end: bigint, events: readonly { timeUnixNano: bigint }[]): string {
  let problem = timeRangeProblem('start_time_unix_nano', start) || timeRangeProblem('end_time_unix_nano', end) || timeOrderProblem(start, end);
  for (let i = 0; problem === '' && i < events.length; i++) {
    problem = timeRangeProblem(`event ${i} time_unix_nano`, (events[i] as { timeUnixNano: bigint }).timeUnixNano);
  }
  return problem;
}
