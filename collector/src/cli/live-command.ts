import { CliError, EXIT, request, streamedBlocks, type ServerTarget } from './http.js';

interface StreamEvent {
  type: string;
  agent: string;
  sessionId: string;
  at: string;
  data: Record<string, unknown>;
}

/** One line per event, for a person following a terminal. */
export function formatLiveEvent(type: string, e: StreamEvent): string {
  const d = e.data;
  const what = type === 'state' ? `${String(d.from || '·')} → ${String(d.to)}`
    : type === 'action' ? `${String(d.kind)} ${String(d.name)} ${String(d.status)} ${Number(d.durationMs).toFixed(0)} ms`
    : type === 'session.end' ? `${String(d.status)} after ${Number(d.durationMs).toFixed(0)} ms${d.error ? `: ${String(d.error)}` : ''}`
    : type === 'session.start' ? `started${d.goal ? `: ${String(d.goal)}` : ''}`
    : JSON.stringify(d);
  return `${e.at}  ${(e.agent || '?').padEnd(20)} ${type.padEnd(13)} ${what}`;
}

/**
 * `agentflow live [--agent X]`: follows the server's live stream and prints each event as it
 * arrives (JSON lines with --json) until interrupted or the server goes away.
 */
export async function liveCommand(target: ServerTarget, agent: string | undefined, json: boolean, out: (text: string) => void, signal?: AbortSignal): Promise<void> {
  const query = agent ? `?agent=${encodeURIComponent(agent)}` : '';
  const response = await request(target, `/api/v1/live${query}`, signal ? { signal } : {});
  try {
    for await (const block of streamedBlocks(response, '\n\n')) {
      const type = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!type || !data) continue;
      out(json ? data : formatLiveEvent(type, JSON.parse(data) as StreamEvent));
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    if (signal?.aborted) return;
    throw new CliError(EXIT.UNREACHABLE, `live stream ended: ${(err as Error).message}`);
  }
}
