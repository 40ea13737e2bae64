import { CliError, EXIT, request, streamedBlocks, type ServerTarget } from './http.js';

/**
 * `agentflow purge --before <duration|time>`: deletes the key's tenant's rows older than the
 * given time on the running server; prints each table as it is done.
 */
export async function purgeCommand(target: ServerTarget, before: string, out: (text: string) => void, progress: (text: string) => void): Promise<void> {
  const response = await request(target, '/api/v1/admin/purge', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ before }),
  });
  let done: { done: boolean; before?: string; error?: string } | undefined;
  for await (const line of streamedBlocks(response, '\n')) {
    const message = JSON.parse(line) as { purged?: string; done?: boolean; before?: string; error?: string };
    if (message.purged) progress(`purge: ${message.purged} done`);
    else done = message as typeof done;
  }
  if (!done?.done) throw new CliError(EXIT.QUERY_FAILED, `purge failed: ${done?.error ?? 'the server closed the stream early'}`);
  out(`purged rows older than ${done.before}`);
}
