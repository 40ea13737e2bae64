/** Exit codes with a meaning scripts can rely on. */
export const EXIT = { OK: 0, QUERY_FAILED: 1, USAGE: 2, UNREACHABLE: 3 } as const;

/** A failure that ends the command with a given exit code and message. */
export class CliError extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}

/** POSTs JSON to the running server and returns the parsed answer, or throws a {@link CliError}. */
export async function postJson<T>(baseUrl: string, path: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(new URL(path, baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new CliError(EXIT.UNREACHABLE, `cannot reach agentflow at ${baseUrl} (${cause}); is it running? (npm start, or set AGENTFLOW_URL)`);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(EXIT.QUERY_FAILED, `unexpected answer from ${baseUrl} (HTTP ${response.status}): ${text.slice(0, 200)}`);
  }
  if (!response.ok) {
    const message = (parsed as { error?: { message?: string } }).error?.message ?? text;
    throw new CliError(EXIT.QUERY_FAILED, message);
  }
  return parsed as T;
}
