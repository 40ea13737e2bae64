/**
 * Memory and CPU of another process, read from Linux `/proc`. Every reader returns undefined when
 * the process is gone or `/proc` is unavailable, so a sampler never throws mid-bench.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Memory figures from `/proc/<pid>/status`, in bytes. */
export interface ProcessMemory {
  /** Resident set size now (`VmRSS`). */
  rssBytes: number;
  /** Peak resident set size since the process started (`VmHWM`). */
  peakRssBytes: number;
}

/** Reads `VmRSS` and `VmHWM`; undefined if the process has exited. */
export function readProcessMemory(pid: number): ProcessMemory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const rssBytes = kib('VmRSS');
  const peakRssBytes = kib('VmHWM');
  // A zombie has no VmRSS line: treat it as gone.
  if (rssBytes === undefined || peakRssBytes === undefined) return undefined;
  return { rssBytes, peakRssBytes };
}

let clockTicksPerSecond: number | undefined;

/** `sysconf(_SC_CLK_TCK)`, the unit of `/proc/<pid>/stat` times; 100 if `getconf` is missing. */
export function clockTicks(): number {
  if (clockTicksPerSecond === undefined) {
    try {
      const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5_000 }).trim());
      clockTicksPerSecond = Number.isFinite(value) && value > 0 ? value : 100;
    } catch {
      clockTicksPerSecond = 100;
    }
  }
  return clockTicksPerSecond;
}

/** User + system CPU time the process has used so far, in seconds (all its threads). */
export function readCpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
  // What follows starts at field 3 (state), so utime (field 14) is index 11 and stime index 12.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return (utime + stime) / clockTicks();
}

/** A CPU reading at a point in time, to compute cores used between two of them. */
export interface CpuMark {
  cpuSeconds: number;
  /** `performance.now()` at the reading, ms. */
  atMs: number;
}

/** Reads a {@link CpuMark} for `pid`; undefined if the process has exited. */
export function markCpu(pid: number): CpuMark | undefined {
  const cpuSeconds = readCpuSeconds(pid);
  return cpuSeconds === undefined ? undefined : { cpuSeconds, atMs: performance.now() };
}

/**
 * Busy CPU time of the whole machine so far (all CPUs, everything but idle and iowait), from the
 * first line of `/proc/stat`, as a {@link CpuMark}; undefined where `/proc/stat` is unreadable.
 * Lets a bench tell how much CPU processes other than its own took during the run.
 */
export function markSystemCpu(): CpuMark | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in clock ticks;
  // guest time is already included in user/nice, so only the first eight fields are summed.
  const fields = (stat.split('\n', 1)[0] ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 5 || fields.some((value) => !Number.isFinite(value))) return undefined;
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { cpuSeconds: (total - idle) / clockTicks(), atMs: performance.now() };
}

/** Average cores used between two marks (1.0 = one core fully busy). */
export function coresBetween(from: CpuMark, to: CpuMark): number {
  const wallSeconds = (to.atMs - from.atMs) / 1000;
  return wallSeconds > 0 ? (to.cpuSeconds - from.cpuSeconds) / wallSeconds : 0;
}

/** What a {@link RssSampler} saw. */
export interface RssSamples {
  /** Highest sampled `VmRSS`, bytes; 0 if no sample succeeded. */
  maxRssBytes: number;
  /** Mean of the sampled `VmRSS` values, bytes; 0 if none. */
  meanRssBytes: number;
  sampleCount: number;
}

/** Periodic RSS sampling of one process. */
export interface RssSampler {
  start(): void;
  /** Stops sampling (idempotent) and returns the summary. */
  stop(): RssSamples;
}

/** Creates a sampler that reads `pid`'s `VmRSS` every `intervalMs` (default 250) once started. */
export function createRssSampler(pid: number, intervalMs = 250): RssSampler {
  let timer: NodeJS.Timeout | undefined;
  let max = 0;
  let sum = 0;
  let count = 0;
  const sample = (): void => {
    const memory = readProcessMemory(pid);
    if (memory === undefined) return;
    max = Math.max(max, memory.rssBytes);
    sum += memory.rssBytes;
    count++;
  };
  return {
    start() {
      if (timer !== undefined) return;
      sample();
      timer = setInterval(sample, intervalMs);
      // Sampling alone must not keep the bench alive.
      timer.unref();
    },
    stop() {
      if (timer !== undefined) {
        clearInterval(timer);
        timer = undefined;
        sample();
      }
      return { maxRssBytes: max, meanRssBytes: count === 0 ? 0 : sum / count, sampleCount: count };
    },
  };
}
