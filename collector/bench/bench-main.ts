/** Outcome of reading a bench's settings from the environment. */
export type BenchConfigResult<C> = { ok: true; config: C } | { ok: false; error: string };

/**
 * Runs a bench as a program: exit 2 for bad settings, the bench's own code otherwise, 1 when it
 * crashes (with the stack on stderr through `log`).
 */
export function runBenchMain<C>(
  parse: (env: NodeJS.ProcessEnv) => BenchConfigResult<C>, run: (config: C) => Promise<number>, log: (message: string) => void,
): void {
  const parsed = parse(process.env);
  const result = parsed.ok ? run(parsed.config) : (log(parsed.error), Promise.resolve(2));
  result.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      log(`crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
    },
  );
}
