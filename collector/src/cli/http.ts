/** Exit codes with a meaning scripts can rely on. */
export const EXIT = { OK: 0, QUERY_FAILED: 1, USAGE: 2, UNREACHABLE: 3 } as const;

/** A failure that ends the command with a given exit code and message. */
export class CliError extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}

/** Where the CLI sends requests and with which key. */
export interface ServerTarget {
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>` when set. */
  apiKey?: string | undefined;
}

/** Request headers for a target, with the key when there is one. */
export function headersFor(target: ServerTarget, extra: Record<string, string> = {}): Record<string, string> {
  return target.apiKey ? { ...extra, authorization: `Bearer ${target.apiKey}` } : extra;
}

/** Sends a request to the running server; a connection failure becomes exit code 3. */
export async function request(target: ServerTarget, path: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(new URL(path, target.baseUrl), { ...init, headers: headersFor(target, (init.headers ?? {}) as Record<string, string>) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new CliError(EXIT.UNREACHABLE, `cannot reach agentflow at ${target.baseUrl} (${cause}); is it running? (npm start, or set AGENTFLOW_URL)`);
  }
}

/** Parses a JSON answer, or throws a {@link CliError} carrying the server's message. */
export async function readJson<T>(target: ServerTarget, response: Response): Promise<T> {
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(EXIT.QUERY_FAILED, `unexpected answer from ${target.baseUrl} (HTTP ${response.status}): ${text.slice(0, 200)}`);
  }
  if (!response.ok) {
    const message = (parsed as { error?: { message?: string } }).error?.message ?? text;
    throw new CliError(EXIT.QUERY_FAILED, message);
  }
  return parsed as T;
}

/** POSTs JSON to the running server and returns the parsed answer. */
export async function postJson<T>(target: ServerTarget, path: string, body: unknown): Promise<T> {
  const response = await request(target, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return readJson<T>(target, response);
}

/** GETs JSON from the running server and returns the parsed answer. */
export async function getJson<T>(target: ServerTarget, path: string): Promise<T> {
  return readJson<T>(target, await request(target, path));
}

/**
 * The pieces of a streamed answer as they arrive, split at `separator` ('\n' for
 * newline-delimited JSON, '\n\n' for server-sent events). A refusal becomes a {@link CliError}
 * with the server's message.
 */
export async function* streamedBlocks(response: Response, separator: string): AsyncGenerator<string> {
  if (!response.ok || !response.body) {
    const text = await response.text();
    let message = text;
    try {
      message = (JSON.parse(text || '{}') as { error?: { message?: string } }).error?.message ?? text;
    } catch {
      // not JSON: the text is the message
    }
    throw new CliError(EXIT.QUERY_FAILED, message);
  }
  let buffered = '';
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    buffered += Buffer.from(chunk).toString('utf8');
    let end: number;
    while ((end = buffered.indexOf(separator)) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + separator.length);
      if (block.trim() !== '') yield block;
    }
  }
}
