import { CliError, EXIT, request, streamedBlocks, type ServerTarget } from './http.js';

/**
 * `agentflow rebuild --since <duration|time>`: asks the running server to re-derive agent
 * records from raw spans; prints progress to stderr as pages complete and a summary to stdout.
 */
export async function rebuildCommand(
  target: ServerTarget, since: string, json: boolean, out: (text: string) => void, progress: (text: string) => void,
): Promise<void> {
  const response = await request(target, '/api/v1/admin/rebuild', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ since }),
  });
  let final: { done: boolean; error?: string; tenants?: { tenant: string; traces: number; spans: number }[] } | undefined;
  for await (const line of streamedBlocks(response, '\n')) {
    const message = JSON.parse(line) as { progress?: { tenant: string; traces: number; spans: number } } & typeof final;
    if (message?.progress) progress(`rebuild: tenant ${message.progress.tenant}: ${message.progress.traces} traces, ${message.progress.spans} spans`);
    else final = message;
  }
  if (!final?.done) throw new CliError(EXIT.QUERY_FAILED, `rebuild failed: ${final?.error ?? 'the server closed the stream early'}`);
  if (json) out(JSON.stringify(final.tenants));
  else {
    const traces = (final.tenants ?? []).reduce((n, t) => n + t.traces, 0);
    out(`rebuilt ${traces} trace${traces === 1 ? '' : 's'} in ${final.tenants?.length ?? 0} tenant${final.tenants?.length === 1 ? '' : 's'}`);
  }
}
