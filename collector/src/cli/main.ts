#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { main as serve } from '../main.js';
import { CliError, EXIT, type ServerTarget } from './http.js';
import { sqlCommand } from './sql-command.js';
import { rebuildCommand } from './rebuild-command.js';
import { purgeCommand } from './purge-command.js';

const USAGE = `usage: agentflow <command> [options]

commands:
  serve                 run the collector (same as npm start); settings come from AGENTFLOW_* variables
  sql "<query>"         run one read-only query on the running server and print the rows
  rebuild --since <t>   re-derive agent records from raw spans first seen since <t>
                        (a duration like 30m, 6h, 7d, or an ISO time)
  purge --before <t>    delete your tenant's rows older than <t> (a duration like 30d, or an ISO time)

options:
  --url <url>           server to talk to (default: $AGENTFLOW_URL or http://127.0.0.1:4318)
  --api-key <key>       API key sent as a bearer token (default: $AGENTFLOW_API_KEY)
  --json                print JSON instead of a table
  -h, --help            show this help

exit codes: 0 ok, 1 the server refused or failed the request, 2 usage error, 3 server unreachable`;

/** Runs one CLI invocation; returns the process exit code. */
export async function runCli(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { url: { type: 'string' }, 'api-key': { type: 'string' }, since: { type: 'string' }, before: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (err) {
    process.stderr.write(`agentflow: ${(err as Error).message}\n${USAGE}\n`);
    return EXIT.USAGE;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return values.help || command === 'help' ? EXIT.OK : EXIT.USAGE;
  }
  const target: ServerTarget = { baseUrl: values.url ?? env.AGENTFLOW_URL ?? 'http://127.0.0.1:4318', apiKey: values['api-key'] ?? env.AGENTFLOW_API_KEY };
  const out = (text: string) => process.stdout.write(`${text}\n`);
  try {
    switch (command) {
      case 'serve':
        return await serve(env);
      case 'sql':
        if (rest.length !== 1) throw new CliError(EXIT.USAGE, 'sql takes exactly one argument: the query, quoted');
        await sqlCommand(target, rest[0] as string, values.json, out);
        return EXIT.OK;
      case 'rebuild':
        if (!values.since) throw new CliError(EXIT.USAGE, 'rebuild needs --since <duration|time>, e.g. --since 6h');
        await rebuildCommand(target, values.since, values.json, out, (text) => process.stderr.write(`${text}\n`));
        return EXIT.OK;
      case 'purge':
        if (!values.before) throw new CliError(EXIT.USAGE, 'purge needs --before <duration|time>, e.g. --before 30d');
        await purgeCommand(target, values.before, out, (text) => process.stderr.write(`${text}\n`));
        return EXIT.OK;
      default:
        throw new CliError(EXIT.USAGE, `unknown command '${command}'\n${USAGE}`);
    }
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`agentflow: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

runCli(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`agentflow: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
