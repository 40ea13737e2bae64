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
