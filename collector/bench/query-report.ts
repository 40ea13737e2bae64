/** The query bench's report: latency per endpoint against the targets, the dataset, and what each endpoint reads. */
import { QUERY_TARGETS_MS } from './query-endpoints.js';
import type { EndpointLatency } from './query-probe.js';
import type { ExplainedEndpoint, ExplainedStatement, GeneratedDataset } from './query-protocol.js';

/** Everything measured on one dataset. */
export interface QuerySizeReport {
  targetSpans: number;
  dataset: GeneratedDataset;
  /** E.g. "embedded chDB (ClickHouse 26.7.2.1)". */
  storage: string;
  serverHealthyS: number;
  /** Waiting for the server to go idle before timing: seconds waited, and its cores in the last second. */
  idle: { waitedS: number; serverCores: number | undefined };
  /** Cores the server used while being queried, and every other process on the machine meanwhile. */
  serverCores: number | undefined;
  otherCores: number | undefined;
  latencies: EndpointLatency[];
  /** Other-tenant session ids asked for, and how many answered 404 as they must. */
  isolation: { asked: number; notFound: number };
  /** VmHWM of the server at the end of the run (includes start-up), and the sampled max while querying. */
  peakRssBytes: number | undefined;
  sampledMaxRssBytes: number;
  /** Undefined when the explain step was off or failed (then `explainError` says why). */
  explained?: ExplainedEndpoint[];
  explainError?: string;
}

/** Other processes' CPU above which the report warns that the machine was not quiet. */
const NOISY_MACHINE_CORES = 0.25;
const n0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const MB = 1024 * 1024;

function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 10 ? `${value.toFixed(1)} ms` : `${n0.format(value)} ms`;
}

/** True when the endpoint answered every request correctly with p95 within its target. */
export function meetsTarget(l: EndpointLatency): boolean {
  return l.failures === 0 && Number.isFinite(l.p95) && l.p95 < QUERY_TARGETS_MS[l.group];
}

/**
 * The index use of one statement's `EXPLAIN indexes = 1`, one line per table read: the table,
 * whether FINAL merges at read time, and granules kept / total by each index.
 */
export function indexSummary(plan: string): string[] {
  const out: string[] = [];
  let current: string[] | undefined;
  let index = '';
  for (const raw of plan.split('\n')) {
    const line = raw.replace(/^[\s│├└─]+/, '').trim();
    const read = /^ReadFromMergeTree \((.+)\)$/.exec(line);
    if (read) {
      current = [read[1] as string];
      out.push('');
      continue;
    }
    if (!current) continue;
    if (line === 'FINAL: 1') current.push('FINAL');
    else if (/^(Min-Max|Partition|PrimaryKey)$/.test(line)) index = line;
    else if (line === 'Skip') index = 'Skip';
    else if (line.startsWith('Name: ') && index.startsWith('Skip')) index = `Skip ${line.slice(6)}`;
    else if (line.startsWith('Granules: ') && line.includes('/') && index !== '') {
      current.push(`${index} ${line.slice(10)}`);
      index = '';
    }
    out[out.length - 1] = current.join(', ');
  }
  return out.filter((l) => l !== '');
}

function statementLine(s: ExplainedStatement): string {
  return `${ms(s.elapsedMs).padStart(9)} ${n0.format(s.rowsRead).padStart(12)} rows ${(s.bytesRead / MB).toFixed(1).padStart(7)} MB  ${s.summary}`;
}

/** The report of one dataset. */
export function formatSizeReport(r: QuerySizeReport): string {
  const d = r.dataset;
  const lines: string[] = [];
  const parts = d.tables.map((t) => `${t.table} ${t.parts}`).join(', ');
  lines.push(`── ${n0.format(r.targetSpans)} spans ──────────────────────────────────────────────`);
  lines.push(`dataset     ${n0.format(d.spans)} spans in ${n0.format(d.sessions)} sessions over 7 days (from ${d.windowFrom}), ${n0.format(d.bytesOnDisk / MB)} MB on disk; generated in ${d.totalSeconds.toFixed(1)} s`);
  for (const t of d.tables) lines.push(`            ${t.table.padEnd(30)} ${n0.format(t.tenantRows).padStart(12)} default + ${n0.format(t.otherRows).padStart(10)} other tenant`);
  lines.push(d.mergeWaitSeconds > 0
    ? `storage     after ${d.mergeWaitSeconds.toFixed(0)} s of background merges (${d.mergesRunning} still running); active parts: ${parts}`
    : `storage     measured as inserted (bulk INSERT … SELECT, no merge wait, no OPTIMIZE); active parts: ${parts}`);
  lines.push(`rollups     backfill of ${n0.format(d.rollups.hours)} tenant-hours in ${d.rollups.seconds.toFixed(1)} s (the server's first rollup pass, run before it starts)`);
  lines.push(`server      ${r.storage}, healthy in ${r.serverHealthyS.toFixed(1)} s; peak RSS ${r.peakRssBytes === undefined ? 'n/a' : `${n0.format(r.peakRssBytes / MB)} MB`} (VmHWM), ${n0.format(r.sampledMaxRssBytes / MB)} MB sampled max while querying`);
  const cores = (c: number | undefined): string => (c === undefined ? 'n/a' : c.toFixed(2));
  lines.push(`cpu         idle after ${r.idle.waitedS.toFixed(0)} s (${cores(r.idle.serverCores)} cores); while querying: server ${cores(r.serverCores)} cores, ` +
    `other processes ${cores(r.otherCores)} cores${(r.otherCores ?? 0) > NOISY_MACHINE_CORES ? ' — the machine was not quiet: latencies are inflated' : ''}`);
  lines.push(`isolation   ${r.isolation.notFound}/${r.isolation.asked} other-tenant sessions answered 404 ${r.isolation.notFound === r.isolation.asked ? '✓' : '✗'}`);
  lines.push('');
  lines.push(`${'endpoint'.padEnd(34)}${'n'.padStart(5)}${'p50'.padStart(10)}${'p95'.padStart(10)}${'p99'.padStart(10)}${'max'.padStart(10)}   target`);
  for (const l of r.latencies) {
    const target = `p95 < ${ms(QUERY_TARGETS_MS[l.group])} ${meetsTarget(l) ? '✓' : '✗'}`;
    const note = [l.failures > 0 ? `${l.failures} failed: ${l.failureSamples.join(' | ')}` : '', l.cutShort ? 'time budget reached' : '']
      .filter((x) => x !== '').join('; ');
    lines.push(`${l.name.padEnd(34)}${String(l.requests).padStart(5)}${ms(l.p50).padStart(10)}${ms(l.p95).padStart(10)}${ms(l.p99).padStart(10)}${ms(l.max).padStart(10)}   ${target}${note ? `  (${note})` : ''}`);
  }
  if (r.explained) {
    lines.push('');
    lines.push('what one request of each endpoint reads (each statement re-run alone; ClickHouse elapsed, rows and bytes read):');
    const missed = new Set(r.latencies.filter((l) => !meetsTarget(l)).map((l) => l.name));
    for (const e of r.explained) {
      const rows = e.statements.reduce((n, s) => n + s.rowsRead, 0);
      const total = e.statements.reduce((n, s) => n + (Number.isFinite(s.elapsedMs) ? s.elapsedMs : 0), 0);
      lines.push(`  ${e.endpoint}: ${e.statements.length} statements, ${n0.format(rows)} rows, ${ms(total)} summed${e.status === 200 ? '' : ` (HTTP ${e.status})`}`);
      for (const s of e.statements) {
        lines.push(`  ${statementLine(s)}`);
        if (missed.has(e.endpoint)) for (const index of indexSummary(s.plan)) lines.push(`${' '.repeat(40)}└ ${index}`);
      }
    }
  } else if (r.explainError) {
    lines.push(`explain     skipped: ${r.explainError}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The closing table over every dataset: p95 per endpoint and size, ✓/✗. */
export function formatSummary(reports: readonly QuerySizeReport[]): string {
  if (reports.length === 0) return '';
  const names = reports[0]?.latencies.map((l) => l.name) ?? [];
  const lines = [`── summary: p95 per endpoint ──`];
  lines.push(`${'endpoint'.padEnd(34)}${reports.map((r) => `${n0.format(r.targetSpans)} spans`.padStart(18)).join('')}   target`);
  for (const name of names) {
    const cells = reports.map((r) => {
      const l = r.latencies.find((x) => x.name === name);
      return (l ? `${ms(l.p95)} ${meetsTarget(l) ? '✓' : '✗'}` : 'n/a').padStart(18);
    });
    const group = reports[0]?.latencies.find((x) => x.name === name)?.group ?? 'list';
    lines.push(`${name.padEnd(34)}${cells.join('')}   < ${ms(QUERY_TARGETS_MS[group])}`);
  }
  lines.push(`${'peak server RSS'.padEnd(34)}${reports.map((r) => (r.peakRssBytes === undefined ? 'n/a' : `${n0.format(r.peakRssBytes / MB)} MB`).padStart(18)).join('')}`);
  return `${lines.join('\n')}\n`;
}
