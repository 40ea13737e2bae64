import { spawn } from 'node:child_process';
import type { SubResult, SubTask } from './agents.js';
import { REMOTE_REPLY, type RemoteTask } from './remote-protocol.js';

/** Where and how to start the hotel agent's process. */
export interface HotelProcessOptions {
  /** Path of the built `remote-agent.js`. */
  scriptPath: string;
  /** Everything of the task message but the task and the trace context. */
  base: Omit<RemoteTask, 'task' | 'carrier'>;
  /** Longest the child may take, start to exit, in milliseconds; it is killed after. */
  timeoutMs: number;
}

/**
 * Runs the hotel agent in a child process (`node remote-agent.js`): writes the task with the
 * delegating session's trace context on its stdin, reads its one-line answer from stdout and
 * resolves once the child has exited 0 — after it flushed its spans — with that answer.
 */
export function runHotelProcess(options: HotelProcessOptions, carrier: Record<string, string>, task: SubTask): Promise<SubResult> {
  return new Promise<SubResult>((resolve, reject) => {
    const child = spawn(process.execPath, [options.scriptPath], { stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`hotel agent process failed to start: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.trim() !== '') ?? '';
      let reply;
      try {
        reply = REMOTE_REPLY.parse(JSON.parse(line));
      } catch {
        reject(new Error(`hotel agent process ended (${signal ?? `exit ${code}`}) without an answer`));
        return;
      }
      if (!reply.ok) reject(new Error(`hotel agent failed: ${reply.error}`));
      else if (code !== 0) reject(new Error(`hotel agent process exited ${signal ?? code}`));
      else resolve({ summary: reply.summary, sessionId: reply.sessionId });
    });
    // A child that died before reading its task makes the write fail: reported by 'close' above.
    child.stdin.on('error', () => undefined);
    const message: RemoteTask = { ...options.base, task, carrier };
    child.stdin.end(`${JSON.stringify(message)}\n`);
  });
}
