/**
 * OTLP/HTTP protobuf load generator, run as its own process so its CPU never competes with the
 * measuring orchestrator's event loop:
 *
 *   node collector/dist-bench/load-generator.js --url http://127.0.0.1:4318 \
 *     [--duration-s 30] [--connections 8] [--batch-size 512] [--templates 4]
 *
 * Prints `{"type":"started"}` when sending begins and one `{"type":"result",...}` line (see
 * generator-protocol.ts) when done. Exits 2 on bad arguments, 1 if it could not run at all.
 */
import { parseArgs } from 'node:util';
import { runClosedLoop } from './closed-loop.js';
import { formatGeneratorMessage } from './generator-protocol.js';
import { buildBatchTemplates } from './span-batches.js';

/** Validated command line of the generator. */
export interface LoadGeneratorArgs {
  /** Server base URL; the generator posts to `<url>/v1/traces`. */
  url: URL;
  durationS: number;
  connections: number;
  batchSize: number;
  templates: number;
}

/** Parses and checks the command line; returns an error message instead of throwing. */
export function parseLoadGeneratorArgs(argv: string[]): LoadGeneratorArgs | { error: string } {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        'duration-s': { type: 'string', default: '30' },
        connections: { type: 'string', default: '8' },
        'batch-size': { type: 'string', default: '512' },
        templates: { type: 'string', default: '4' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (values.url === undefined) return { error: '--url is required' };
  let url: URL;
  try {
    url = new URL('/v1/traces', values.url);
  } catch {
    return { error: `--url ${values.url} is not a URL` };
  }
  if (url.protocol !== 'http:') return { error: '--url must be http://' };
  const number = (name: string, min: number, max: number, integer: boolean): number | string => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      return `--${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${values[name]}`;
    }
    return value;
  };
  const durationS = number('duration-s', 0.1, 3_600, false);
  const connections = number('connections', 1, 1_024, true);
  const batchSize = number('batch-size', 1, 100_000, true);
  const templates = number('templates', 1, 64, true);
  for (const value of [durationS, connections, batchSize, templates]) {
    if (typeof value === 'string') return { error: value };
  }
  return {
    url,
    durationS: durationS as number,
    connections: connections as number,
    batchSize: batchSize as number,
    templates: templates as number,
  };
}

async function main(): Promise<number> {
  const args = parseLoadGeneratorArgs(process.argv.slice(2));
  if ('error' in args) {
    process.stderr.write(`load-generator: ${args.error}\n`);
    return 2;
  }
  const templates = buildBatchTemplates({ spansPerBatch: args.batchSize, templateCount: args.templates });
  const result = await runClosedLoop({
    url: args.url,
    durationS: args.durationS,
    connections: args.connections,
    templates,
    onStart: () => process.stdout.write(`${formatGeneratorMessage({ type: 'started' })}\n`),
  });
  process.stdout.write(`${formatGeneratorMessage({ type: 'result', result })}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`load-generator: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
