import { CliError, EXIT, type ServerTarget } from '../cli/http.js';
import { DEFAULT_DEMO_DURATION_S, runDemo } from './run-demo.js';

/** Longest `--duration` accepted, seconds: the demo is a bounded run, not a load generator. */
const MAX_DURATION_S = 600;

/** `--duration` in seconds; a usage error when it is not a number in (0, 600]. */
export function parseDemoDuration(value: string | undefined): number {
  if (value === undefined) return DEFAULT_DEMO_DURATION_S;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_DURATION_S) {
    throw new CliError(EXIT.USAGE, `--duration must be a number of seconds between 0 and ${MAX_DURATION_S}, got '${value}'`);
  }
  return seconds;
}

/** `agentflow demo [--duration <s>]`: runs the demo fleet against the server and prints what it recorded. */
export async function demoCommand(target: ServerTarget, duration: string | undefined, out: (text: string) => void): Promise<void> {
  await runDemo({ target, durationS: parseDemoDuration(duration), out });
}
