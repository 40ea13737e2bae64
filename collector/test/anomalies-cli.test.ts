/**
 * `agentflow anomalies`, `agentflow sessions --status running` and the anomalies of
 * `agentflow show`, run as the built CLI against a listening collector with the seed of
 * helpers/anomaly-seed.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCollector } from './helpers/test-collector.js';
import { iso, newestFirst, seedAnomalies, startSeedCollector, type Seed } from './helpers/anomaly-seed.js';
import type { AnomalyPage } from '../src/api/anomalies/index.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');

let t: TestCollector;
let seed: Seed;
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build, or npx tsc -b)`);
  t = await startSeedCollector();
  seed = await seedAnomalies(t);
  await t.listen();
});
afterAll(async () => t?.stop());

interface CliRun { code: number; stdout: string; stderr: string }

function runCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args, '--url', t.url], { env: { ...process.env, AGENTFLOW_URL: '', AGENTFLOW_API_KEY: '' }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

const cells = (line: string | undefined) => (line ?? '').split(/\s{2,}/);
const when = (ns: bigint) => `${iso(ns).slice(0, 10)} ${iso(ns).slice(11, 19)}`;

describe('agentflow anomalies', () => {
  it('prints a table, newest detected first, and a next-page hint that works', async () => {
    const run = await runCli(['anomalies', '--limit', '3']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^detected\s+severity\s+state\s+kind\s+agent\s+session\s+count\s+detail$/);
    const order = newestFirst(seed.anomalies);
    const byId = new Map(seed.anomalies.map((a) => [a.anomalyId, a]));
    lines.slice(2, 5).forEach((line, i) => {
      const a = byId.get(order[i] as string)!;
      expect(cells(line)).toEqual([when(a.detectedAt), a.severity, 'open', a.kind, a.agentName, a.sessionId, String(a.count), a.detail]);
    });
    expect(lines[5]).toBe('3 anomalies');
    const hint = /^next page: agentflow anomalies --limit 3 --cursor (\S+)$/.exec(lines[6] ?? '');
    expect(hint, lines[6]).not.toBeNull();
    const next = await runCli(['anomalies', '--limit', '3', '--cursor', hint![1]!, '--json']);
    expect((JSON.parse(next.stdout) as AnomalyPage).anomalies.map((a) => a.anomaly_id)).toEqual(order.slice(3, 6));
  });

  it('filters: --open, a kind family, an agent', async () => {
    const run = await runCli(['anomalies', '--open', '--kind', 'loop', '--agent', 'looper']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const a = seed.named.repeat;
    expect(cells(lines[2])).toEqual([when(a.detectedAt), 'critical', 'open', 'loop.repeat_call', 'looper', seed.looper.sessionId, '5', a.detail]);
    expect(lines.slice(3)).toEqual(['1 open anomaly (end of list)']);
  });

  it('--session with --json prints the API answer', async () => {
    const run = await runCli(['anomalies', '--session', seed.looper.sessionId, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const page = JSON.parse(run.stdout) as AnomalyPage;
    expect(page.anomalies.map((x) => x.kind)).toEqual(['loop.ping_pong', 'loop.repeat_call']);
    expect(page.next_cursor).toBeNull();
  });

  it.each([
    ['a kind the server refuses exits 1 with its message', ['anomalies', '--kind', 'lopp'], 1, /kind: expected a kind such as loop.repeat_call/],
    ['a bad --limit exits 2', ['anomalies', '--limit', 'x'], 2, /--limit takes a positive whole number/],
    ['an argument exits 2', ['anomalies', 'loop'], 2, /anomalies takes no arguments/],
  ])('%s', async (_what, args, code, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
  });
});

describe('agentflow sessions --status running', () => {
  it('prints the sessions running now, orphaned when their process is offline', async () => {
    const run = await runCli(['sessions', '--status', 'running']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^agent\s+session\s+started\s+idle\s+status\s+open anomalies\s+activity$/);
    expect(cells(lines[2])).toEqual(['runner', seed.runner.sessionId, when(seed.runner.startedNs), expect.stringMatching(/^\d+\.\d\d s$|^\d+m \d\ds$/), 'running', '1', 'execute_tool fetch_page']);
    expect(cells(lines[3])).toEqual(['ghost', seed.ghost.sessionId, when(seed.ghost.startedNs), expect.stringMatching(/^\d+m \d\ds$/), 'orphaned', '1', 'chat gpt-4o']);
    expect(lines[4]).toBe('2 sessions (end of list)');
  });
});

describe('agentflow show', () => {
  it('lists the anomalies and marks them on the timeline at their evidence', async () => {
    const run = await runCli(['show', seed.looper.sessionId]);
    expect(run.code, run.stderr).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/\n {2}anomalies {4}2 \(1 open\)\n/);
    const timeline = out.slice(out.indexOf('\ntimeline\n') + 10, out.indexOf('\n\nanomalies\n')).split('\n');
    // The three tool calls are evidence: flagged in the margin; both anomalies are marked after the last of them.
    expect(timeline.filter((l) => l.startsWith('! ')).map((l) => /tool_call +(\w+)/.exec(l)?.[1])).toEqual(['get_forecast', 'get_map', 'get_news']);
    const last = timeline.findIndex((l) => l.includes('get_news'));
    expect(timeline.slice(last + 1, last + 3)).toEqual([
      `${' '.repeat(14)}!          loop.repeat_call (critical, open) ×5: get_forecast called 5 times in a row with the same arguments  [#1 #2 #3]`,
      `${' '.repeat(14)}!          loop.ping_pong (warning, resolved) ×3: get_map and get_news alternate  [#2 #3]`,
    ]);
    const section = out.slice(out.indexOf('\n\nanomalies\n') + 12).split('\n\n')[0]!.split('\n');
    expect(section[0]).toMatch(/^ {2}state\s+severity\s+kind\s+count\s+detected\s+detail$/);
    expect(cells(section[2]?.trim())).toEqual(['open', 'critical', 'loop.repeat_call', '5', when(seed.named.repeat.detectedAt), seed.named.repeat.detail]);
    expect(cells(section[3]?.trim())).toEqual(['resolved', 'warning', 'loop.ping_pong', '3', when(seed.named.pingPong.detectedAt), 'get_map and get_news alternate']);
  });

  it('marks an anomaly without evidence actions where it was detected, and says when there are none', async () => {
    const poller = await runCli(['show', seed.poller.sessionId]);
    const lines = poller.stdout.split('\n');
    const tool = lines.findIndex((l) => /tool_call +check_status/.test(l));
    expect(lines[tool + 1]).toBe(`${' '.repeat(14)}!          stuck.stale (warning, open) ×1: no sign of life for 5 minutes`);
    expect(lines[tool + 2]).toMatch(/^ {2}\+1m 00s +end +completed/);
    const quiet = await runCli(['show', seed.quiet.sessionId]);
    expect(quiet.stdout).toContain('\nanomalies\n  (none detected)\n');
    expect(quiet.stdout).not.toMatch(/^!/m);
  });
});
