/**
 * Child processes for the benches: spawn a Node script, wait until it answers a health URL, stop
 * it with a deadline. Everything here is bounded in time and never throws for a child's failure;
 * outcomes come back as values.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

/** How a child process ended. `error` is set when it could not be spawned at all. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** A running (or finished) child Node process. */
export interface ManagedProcess {
  /** Label used in messages, e.g. "server". */
  readonly name: string;
  readonly child: ChildProcess;
  /** The child's pid (0 if spawning failed). */
  readonly pid: number;
  /** Settles (never rejects) once the process has exited. */
  readonly exited: Promise<ProcessExit>;
  /** The exit, once it happened. */
  exit(): ProcessExit | undefined;
  /** The last bytes of its stdout and stderr, interleaved as they arrived. */
  outputTail(): string;
}

/** Options for {@link spawnNode}. */
export interface SpawnNodeOptions {
  name: string;
  /** Path of the script to run with this Node binary. */
  script: string;
  args?: string[];
  /** The child's complete environment. */
  env: NodeJS.ProcessEnv;
  /** Output bytes to keep for {@link ManagedProcess.outputTail}. Default 64 KiB. */
  tailBytes?: number;
  /** Called with each stdout line (they are also kept in the tail). */
  onStdoutLine?: (line: string) => void;
}

/** Spawns `node <script> <args>` with piped output (always drained, so the child never blocks). */
export function spawnNode(options: SpawnNodeOptions): ManagedProcess {
  const tailBytes = options.tailBytes ?? 64 * 1024;
  let tail = '';
  const keep = (text: string): void => {
    tail += text;
    if (tail.length > tailBytes * 2) tail = tail.slice(-tailBytes);
  };
  const child = spawn(process.execPath, [options.script, ...(options.args ?? [])], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exit: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', (error) => {
      // 'error' without a later 'exit' means it never started; with one, 'exit' reports it.
      if (child.pid === undefined) resolve((exit = { code: null, signal: null, error }));
    });
    child.once('exit', (code, signal) => resolve((exit = { code, signal })));
  });
  child.stderr?.setEncoding('utf8').on('data', keep);
  if (child.stdout) {
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      keep(`${line}\n`);
      options.onStdoutLine?.(line);
    });
  }
  return {
    name: options.name,
    child,
    pid: child.pid ?? 0,
    exited,
    exit: () => exit,
    outputTail: () => tail.slice(-tailBytes),
  };
}

/** Resolves to `value`, or to `'timeout'` after `ms`. The timer never keeps the process alive. */
export async function withTimeout<T>(value: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
    timer.unref();
  });
  try {
    return await Promise.race([value, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Outcome of {@link waitForHealthy}. */
export type HealthWait =
  | { ok: true; elapsedMs: number }
  | { ok: false; reason: 'exited'; exit: ProcessExit }
  | { ok: false; reason: 'timeout'; lastError: string };

/**
 * Polls `GET url` every `intervalMs` (default 200) until it answers 200, the process exits, or
 * `timeoutMs` passes.
 */
export async function waitForHealthy(
  target: ManagedProcess,
  url: string,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<HealthWait> {
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  let lastError = 'no attempt finished';
  for (;;) {
    const exit = target.exit();
    if (exit) return { ok: false, reason: 'exited', exit };
    try {
      const remaining = Math.max(1, deadline - performance.now());
      const response = await fetch(url, { signal: AbortSignal.timeout(Math.min(2_000, remaining)) });
      await response.arrayBuffer();
      if (response.status === 200) return { ok: true, elapsedMs: performance.now() - started };
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    }
    if (performance.now() >= deadline) return { ok: false, reason: 'timeout', lastError };
    await Promise.race([target.exited, new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200))]);
  }
}

/** Outcome of {@link stopProcess}. */
export interface StopResult {
  exit: ProcessExit;
  /** True when the process ignored `signal` past the deadline and was SIGKILLed. */
  forced: boolean;
  elapsedMs: number;
}

/**
 * Sends `signal` (default SIGTERM), waits up to `timeoutMs` (default 30 s) for exit, then sends
 * SIGKILL and waits for that. Returns at once if the process already exited.
 */
export async function stopProcess(
  target: ManagedProcess,
  options: { signal?: NodeJS.Signals; timeoutMs?: number } = {},
): Promise<StopResult> {
  const started = performance.now();
  const done = (exit: ProcessExit, forced: boolean): StopResult => ({ exit, forced, elapsedMs: performance.now() - started });
  const already = target.exit();
  if (already) return done(already, false);
  target.child.kill(options.signal ?? 'SIGTERM');
  const graceful = await withTimeout(target.exited, options.timeoutMs ?? 30_000);
  if (graceful !== 'timeout') return done(graceful, false);
  target.child.kill('SIGKILL');
  const killed = await withTimeout(target.exited, 10_000);
  return done(killed === 'timeout' ? { code: null, signal: null, error: new Error('did not exit after SIGKILL') } : killed, true);
}

/** Asks the OS for a free TCP port on `host` (a small race remains until the child binds it). */
export async function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** Describes an exit for humans: "exit code 1", "signal SIGKILL", or the spawn error. */
export function describeExit(exit: ProcessExit): string {
  if (exit.error) return exit.error.message;
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
