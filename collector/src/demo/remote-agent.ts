/**
 * The hotel agent's process: `node remote-agent.js`, spawned by the demo. Reads one task (JSON
 * line, {@link REMOTE_TASK}) on stdin, runs the hotel agent as a session whose parent is the
 * orchestrator's session in the other process (W3C trace context from the task), answers one JSON
 * line on stdout, flushes its telemetry and exits: 0 when the agent succeeded, 1 otherwise.
 */
import { createAgentTracker, startAgentTelemetry } from '@agentflow/instrumentation';
import { createPace } from './agent-kit.js';
import { AGENT, hotelAgent } from './agents.js';
import { createMockLlm } from './mock-llm.js';
import { REMOTE_TASK, type RemoteReply } from './remote-protocol.js';

/** Longest wait for the task on stdin: a parent that never writes must not leave this process behind. */
const STDIN_TIMEOUT_MS = 10_000;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  const timer = setTimeout(() => process.stdin.destroy(new Error('no task on stdin')), STDIN_TIMEOUT_MS);
  try {
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function answer(reply: RemoteReply): void {
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}

async function main(): Promise<number> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readStdin());
  } catch (err) {
    answer({ ok: false, error: `bad task: ${(err as Error).message}` });
    return 1;
  }
  const parsed = REMOTE_TASK.safeParse(raw);
  if (!parsed.success) {
    answer({ ok: false, error: `bad task: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
    return 1;
  }
  const t = parsed.data;
  const telemetry = startAgentTelemetry({
    serviceName: AGENT.HOTEL, endpoint: t.endpoint, headers: t.headers, serviceInstanceId: t.serviceInstanceId, agentType: 'booking', capacity: 4,
    heartbeatIntervalMs: t.heartbeatIntervalMs, exportIntervalMs: 500,
  });
  const tracker = createAgentTracker({ captureContent: true });
  const kit = { llm: createMockLlm(), pace: createPace(t.paceScale) };
  const session = { agentId: 'hotel-agent-1', agentName: AGENT.HOTEL, agentType: 'booking', goal: 'Reserve 3 nights in Lisbon for 2', trigger: 'delegation', taskId: t.task.taskId, conversationId: t.conversationId, parentContext: t.carrier };
  let code = 0;
  try {
    const result = await tracker.runSession(session, (s) => hotelAgent(kit, s, t.task));
    answer({ ok: true, ...result });
  } catch (err) {
    answer({ ok: false, error: (err as Error).message });
    code = 1;
  } finally {
    // The spans must be exported before the process ends: the parent waits for this exit.
    await telemetry.shutdown();
  }
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`remote-agent: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
