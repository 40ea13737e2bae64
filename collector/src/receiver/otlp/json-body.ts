import { jsonError } from './decode-error.js';
import { isObject, type JsonObject } from './json-fields.js';

/**
 * Parses an OTLP/JSON body (UTF-8; invalid sequences become U+FFFD, a leading BOM is dropped).
 * An empty or blank body is an empty request.
 * @throws OtlpDecodeError when the text is not JSON or its top level is not an object.
 */
export function parseJsonBody(body: Uint8Array): JsonObject {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    // JSON.parse throws SyntaxError, or RangeError on pathological nesting: both are bad input.
    throw jsonError(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (!isObject(parsed)) throw jsonError('invalid JSON: the request must be a JSON object');
  return parsed;
}
