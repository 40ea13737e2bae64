/**
 * The collector's error catalogue: a few classes with stable codes and HTTP statuses. Callers
 * classify errors by class or `code`, never by message text.
 */

/** Stable error codes exposed in API error bodies. */
export const ERROR_CODES = {
  BAD_REQUEST: 'AF_BAD_REQUEST',
  UNAUTHENTICATED: 'AF_UNAUTHENTICATED',
  FORBIDDEN: 'AF_FORBIDDEN',
  UNSUPPORTED_MEDIA_TYPE: 'AF_UNSUPPORTED_MEDIA_TYPE',
  PAYLOAD_TOO_LARGE: 'AF_PAYLOAD_TOO_LARGE',
  METHOD_NOT_ALLOWED: 'AF_METHOD_NOT_ALLOWED',
  NOT_FOUND: 'AF_NOT_FOUND',
  OVERLOADED: 'AF_OVERLOADED',
  STORAGE_UNAVAILABLE: 'AF_STORAGE_UNAVAILABLE',
  QUERY_REFUSED: 'AF_QUERY_REFUSED',
  QUERY_FAILED: 'AF_QUERY_FAILED',
  INTERNAL: 'AF_INTERNAL',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** An error that maps to one HTTP answer. `retryAfterSeconds` becomes a `Retry-After` header. */
export class AgentflowError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly statusCode: number,
    message: string,
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AgentflowError';
  }
}

/** Outcome of handing rows to storage: committed, refused for now (retry later), or failed. */
export type WriteOutcome =
  | { status: 'committed' }
  | { status: 'overloaded'; retryAfterSeconds: number }
  | { status: 'unavailable'; retryAfterSeconds: number; message: string }
  | { status: 'failed'; message: string };
