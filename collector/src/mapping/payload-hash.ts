import { createHash } from 'node:crypto';

/** Hex characters kept of the SHA-256: 64 bits are plenty to tell one session's tool calls apart. */
const HASH_CHARS = 16;

/**
 * A stable fingerprint of tool arguments or results, for loop detection ("same tool, same
 * arguments") and for matching a tool span to the call the model requested.
 *
 * JSON is normalised first, so key order and whitespace do not matter: frameworks re-serialise the
 * same arguments differently (OpenAI sends `arguments` as a JSON string inside the response, the
 * tool span carries the parsed object re-stringified). A JSON string that itself holds JSON is
 * unwrapped once for the same reason. Non-JSON text is hashed as sent. Returns '' for no payload.
 */
export function payloadHash(payload: string): string {
  if (payload === '') return '';
  return createHash('sha256').update(normalisePayload(payload)).digest('hex').slice(0, HASH_CHARS);
}

/** The canonical text that {@link payloadHash} hashes. */
export function normalisePayload(payload: string): string {
  let value: unknown;
  try {
    value = JSON.parse(payload) as unknown;
  } catch {
    return payload;
  }
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      // A plain JSON string: hash its text, so `"x"` and `x` agree.
    }
  }
  return typeof value === 'string' ? value : sortedJson(value);
}

/** JSON.stringify with object keys sorted at every depth. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}
