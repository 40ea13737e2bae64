#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { main as serve } from '../main.js';
import { CliError, EXIT, type ServerTarget } from './http.js';
import { sqlCommand } from './sql-command.js';
import { rebuildCommand } from './rebuild-command.js';
import { purgeCommand } from './purge-command.js';
import { liveCommand } from './live-command.js';
import { sessionsCommand } from './sessions-command.js';
import { showCommand } from './show-command.js';
import { anomaliesCommand } from './anomalies-command.js';
import { poorResponsesCommand } from './poor-responses-command.js';
import { statsCommand } from './stats-command.js';
import { debugAgentCommand } from './debug-agent-command.js';
import { alertsCommand } from './alerts-command.js';
import { demoCommand } from '../demo/index.js';

const USAGE = `usage: agentflow <command> [options]

commands:
  serve                 run the collector (same as npm start); settings come from AGENTFLOW_* variables
  sql "<query>"         run one read-only query on the running server and print the rows
  rebuild --since <t>   re-derive agent records from raw spans first seen since <t>
                        (a duration like 30m, 6h, 7d, or an ISO time)
  purge --before <t>    delete your tenant's rows older than <t> (a duration like 30d, or an ISO time)
  live [--agent <name>] follow session starts, state changes, actions and ends as they arrive
  sessions              recent sessions, newest first: [--agent <name>] [--status <s>] [--limit <n>] [--cursor <c>];
                        --status running lists the sessions running now: idle time, running or orphaned, open anomalies
  show <session-id>     one session: header, timeline with durations and anomalies marked (!), anomalies, waterfall of
                        actions, tree of agents
  anomalies             detected loops, stuck sessions, broken budgets, newest first: [--open] [--kind <kind|family>]
                        [--agent <name>] [--session <id>] [--limit <n>] [--cursor <c>]
  poor-responses        model calls whose captured answer scored under the threshold, newest first, with the checks
                        they failed: [--threshold <0-1>] (default 0.7) [--since <30m|24h|7d>] (default 24h)
                        [--agent <name>] [--limit <n>]
  stats                 analytics over a range (default the last 7 days): success, durations, failures, bottlenecks,
                        tools, cost, suggestions: [--agent <name>] [--from <t>] [--to <t>] (a duration like 24h, or an ISO time)
  debug-agent <agent> --conversation <id>
                        why the agent did or did not run in the conversation: never invoked, skipped, failed or fired
  alerts test <rule>    have the server send the alert rule's webhook a test alert now (admin key)
  alerts rules          the alert rules of AGENTFLOW_ALERTS_FILE, without header values
  demo [--duration <s>] run a demo agent fleet (mock LLM, real OTLP exporters) against the server, then print
                        what it recorded; needs a key with ingest and read rights if keys are set (default 5 s)

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
      options: { url: { type: 'string' }, 'api-key': { type: 'string' }, since: { type: 'string' }, before: { type: 'string' }, agent: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' }, open: { type: 'boolean', default: false }, kind: { type: 'string' }, threshold: { type: 'string' }, session: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, conversation: { type: 'string' }, duration: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
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
      case 'live': {
        const stop = new AbortController();
        process.once('SIGINT', () => stop.abort());
        await liveCommand(target, values.agent, values.json, out, stop.signal);
        return EXIT.OK;
      }
      case 'purge':
        if (!values.before) throw new CliError(EXIT.USAGE, 'purge needs --before <duration|time>, e.g. --before 30d');
        await purgeCommand(target, values.before, out, (text) => process.stderr.write(`${text}\n`));
        return EXIT.OK;
      case 'sessions':
        await sessionsCommand(target, { agent: values.agent, status: values.status, limit: values.limit, cursor: values.cursor, json: values.json }, out);
        return EXIT.OK;
      case 'anomalies':
        if (rest.length !== 0) throw new CliError(EXIT.USAGE, 'anomalies takes no arguments, only options: [--open] [--kind <kind>] [--agent <name>] [--session <id>] [--limit <n>]');
        await anomaliesCommand(target, {
          open: values.open, kind: values.kind, agent: values.agent, session: values.session, limit: values.limit, cursor: values.cursor, json: values.json,
        }, out);
        return EXIT.OK;
      case 'poor-responses':
        if (rest.length !== 0) throw new CliError(EXIT.USAGE, 'poor-responses takes no arguments, only options: [--threshold <0-1>] [--since <duration>] [--agent <name>] [--limit <n>]');
        await poorResponsesCommand(target, { threshold: values.threshold, since: values.since, agent: values.agent, limit: values.limit, json: values.json }, out);
        return EXIT.OK;
      case 'stats':
        if (rest.length !== 0) throw new CliError(EXIT.USAGE, 'stats takes no arguments, only options: [--agent <name>] [--from <t>] [--to <t>]');
        await statsCommand(target, { agent: values.agent, from: values.from, to: values.to, json: values.json }, out);
        return EXIT.OK;
      case 'debug-agent':
        if (rest.length !== 1 || !values.conversation) throw new CliError(EXIT.USAGE, 'debug-agent takes the agent name and --conversation <id>');
        await debugAgentCommand(target, rest[0] as string, values.conversation, values.json, out);
        return EXIT.OK;
      case 'show':
        if (rest.length !== 1) throw new CliError(EXIT.USAGE, 'show takes exactly one argument: the session id');
        await showCommand(target, rest[0] as string, values.json, out);
        return EXIT.OK;
      case 'alerts':
        await alertsCommand(target, rest, values.json, out);
        return EXIT.OK;
      case 'demo':
        if (rest.length !== 0) throw new CliError(EXIT.USAGE, 'demo takes no arguments, only options');
        await demoCommand(target, values.duration, out);
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
