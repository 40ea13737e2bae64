/** Formatting of session figures for the terminal (`agentflow sessions`, `agentflow show`). */

/** `2025-01-02T03:04:05.123456789Z` → `2025-01-02 03:04:05` (UTC). */
export function formatTime(iso: string | null): string {
  return iso === null ? '' : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** Milliseconds for people: `850 ms`, `1.25 s`, `2m 05s`, `1h 02m`. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1).replace(/\.0$/, '') : Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** USD with enough digits to tell small costs apart: `$0.0123`, `$1.50`, `$0` for nothing. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(3).replace(/0+$/, '').replace(/\.$/, '')}`;
}

/** Thousands separated: `12,345`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Who a session is, as both `show` headers begin. */
export interface SessionIdentity {
  session_id: string;
  agent_name: string;
  goal: string;
  agent_type: string;
  agent_id: string;
  trace_id: string;
  parent_session_id: string;
}

/**
 * The start of a `show` header: the title line and who the session is, with `field` to add more
 * lines in the same layout (a field with no value is left out).
 */
export function headerLines(s: SessionIdentity, status: string): { lines: string[]; field(name: string, value: string): void } {
  const lines = [`session ${s.session_id}  ${s.agent_name}  ${status}`];
  const field = (name: string, value: string) => {
    if (value !== '') lines.push(`  ${name.padEnd(13)}${value}`);
  };
  field('goal', s.goal);
  field('agent', [s.agent_type && `type ${s.agent_type}`, s.agent_id && `id ${s.agent_id}`].filter(Boolean).join(', '));
  field('trace', s.trace_id);
  field('parent', s.parent_session_id);
  return { lines, field };
}
