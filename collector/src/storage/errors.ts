/**
 * ClickHouse error codes after which the same insert may succeed if tried again: the server or
 * engine was busy, out of memory for the moment, or unreachable. Everything else (a type
 * mismatch, a syntax error) fails the same way every time.
 */
const RETRYABLE_CLICKHOUSE_CODES = new Set([
  159, // TIMEOUT_EXCEEDED
  164, // READONLY (a replica that is temporarily read-only)
  202, // TOO_MANY_SIMULTANEOUS_QUERIES
  203, // NO_FREE_CONNECTION
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR
  241, // MEMORY_LIMIT_EXCEEDED
  242, // TABLE_IS_READ_ONLY
  252, // TOO_MANY_PARTS
  279, // ALL_CONNECTION_TRIES_FAILED
  319, // UNKNOWN_STATUS_OF_INSERT
  425, // SYSTEM_ERROR
  999, // KEEPER_EXCEPTION
]);

/** Node network error codes that mean "the server was not reached or hung up". */
const RETRYABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED',
]);

/** Whether an insert that failed with this error may succeed on a later try. */
export function isRetryableStorageError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: unknown; clickhouseCode?: unknown };
  // chDB errors carry the engine's numeric code in `clickhouseCode`; @clickhouse/client's
  // ClickHouseError carries it as a string in `code`; Node socket errors carry an E-code.
  const numeric = Number(e.clickhouseCode ?? e.code);
  if (Number.isInteger(numeric) && RETRYABLE_CLICKHOUSE_CODES.has(numeric)) return true;
  if (typeof e.code === 'string' && RETRYABLE_SOCKET_CODES.has(e.code)) return true;
  return e.cause !== undefined && e.cause !== err && isRetryableStorageError(e.cause);
}
