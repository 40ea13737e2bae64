import { afterEach, describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import type { WriteOutcome } from '../src/errors.js';
import { AGENT_SINKS } from '../src/storage/sinks.js';
import type { RowSink } from '../src/storage/batch-writer.js';
import { agentRun, exportOf } from './helpers/agent-spans.js';

/** One agent run as one protobuf export: its agent span, then its model and tool calls. */
function runExport(llmCalls: number, toolCalls: number): Buffer {
  const run = agentRun('worker-test', llmCalls, toolCalls);
  return exportOf([run.agent, ...run.llmCalls, ...run.toolCalls]);
}
import { AssemblyThread } from '../src/assembly/thread/assembly-thread.js';
import { ownedBuffer, PortRpc } from '../src/assembly/thread/port-rpc.js';

const CONFIG = { quietMs: 50, timeoutMs: 5_000, maxTraces: 1_000, maxSpans: 100_000, tickMs: 20 };

/** A writer that records the rows it is handed per table, answering `outcome`. */
function recordingWriter(outcome: WriteOutcome = { status: 'committed' }) {
  const rows = new Map<string, number>();
  return {
    rows,
    async writeEncoded(sink: RowSink<never>, rowCount: number, payload: Buffer): Promise<WriteOutcome> {
      expect(payload.length).toBeGreaterThan(0);
      rows.set(sink.table, (rows.get(sink.table) ?? 0) + rowCount);
      return outcome;
    },
  };
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
let thread: AssemblyThread | undefined;
afterEach(async () => thread?.stop());

function startThread(writer: ReturnType<typeof recordingWriter>, maxPendingBytes = 64 * 1024 * 1024): AssemblyThread {
  thread = new AssemblyThread(
    { writer, sinks: Object.values(AGENT_SINKS), loadSpans: async () => [], detected: () => {}, log: quiet },
    { data: { config: CONFIG, priceOverrides: [], detection: { tickMs: 250, file: undefined } }, maxPendingBytes },
  );
  thread.start();
  return thread;
}

describe('AssemblyThread', () => {
  it('reads a stored export on its own thread and hands back encoded derived rows', async () => {
    const writer = recordingWriter();
    const t = startThread(writer);
    t.add({ format: 'otlp-protobuf', tenantId: 'default', body: runExport(2, 1) });
    await t.settleAll();
    expect(writer.rows.get(AGENT_SINKS.sessions.table)).toBe(1);
    expect(writer.rows.get(AGENT_SINKS.actions.table)).toBe(3);
    expect(await t.stats()).toMatchObject({ openTraces: 0, settledTraces: 1, failedTraces: 0 });
  });

  it('settles on its own timer, without being asked', async () => {
    const writer = recordingWriter();
    const t = startThread(writer);
    t.add({ format: 'otlp-protobuf', tenantId: 'default', body: runExport(1, 0) });
    for (let i = 0; i < 100 && (await t.stats()).settledTraces === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(writer.rows.get(AGENT_SINKS.sessions.table)).toBe(1);
  });

  it('says it is behind while more bytes wait than its limit, and catches up', async () => {
    const t = startThread(recordingWriter(), 1);
    expect(t.isBehind()).toBe(false);
    t.add({ format: 'otlp-protobuf', tenantId: 'default', body: runExport(1, 0) });
    expect(t.isBehind()).toBe(true);
    await t.settleAll();
    expect(t.isBehind()).toBe(false);
  });

  it('survives a body it cannot read, and goes on with the next', async () => {
    const writer = recordingWriter();
    const t = startThread(writer);
    t.add({ format: 'otlp-protobuf', tenantId: 'default', body: Buffer.from([0x0a, 0xff]) });
    t.add({ format: 'otlp-protobuf', tenantId: 'default', body: runExport(1, 0) });
    await t.settleAll();
    expect(writer.rows.get(AGENT_SINKS.sessions.table)).toBe(1);
  });

  it('derives what it holds when stopped, then ignores further exports', async () => {
    const writer = recordingWriter();
    const t = startThread(writer);
    t.add({ format: 'otlp-protobuf', tenantId: 'default', body: runExport(1, 0) });
    await t.stop();
    expect(writer.rows.get(AGENT_SINKS.sessions.table)).toBe(1);
    t.add({ format: 'otlp-protobuf', tenantId: 'default', body: runExport(1, 0) });
    await t.stop();
    await expect(t.stats()).rejects.toThrow('not running');
  });
});

describe('PortRpc', () => {
  it('answers calls, fails them with the handler’s error, and fails open calls on failAll', async () => {
    const { port1, port2 } = new MessageChannel();
    const errors: unknown[] = [];
    const a = new PortRpc(port1, {}, (err) => errors.push(err));
    new PortRpc(port2, {
      double: (n: number) => n * 2,
      boom: () => {
        throw new Error('no such thing');
      },
      never: () => new Promise(() => {}),
    }, (err) => errors.push(err));
    expect(await a.call('double', 21)).toBe(42);
    await expect(a.call('boom', undefined)).rejects.toThrow('no such thing');
    await expect(a.call('missing', undefined)).rejects.toThrow("no handler for 'missing'");
    const open = a.call('never', undefined);
    a.failAll('gone');
    await expect(open).rejects.toThrow('gone');
    port1.close();
    expect(errors).toEqual([]);
  });

  it('moves a whole buffer and copies a view of part of one', () => {
    const whole = new Uint8Array(8);
    expect(ownedBuffer(whole)).toBe(whole.buffer);
    const part = Buffer.from('abcdefgh').subarray(2, 5);
    const owned = ownedBuffer(part);
    expect(owned).not.toBe(part.buffer);
    expect(Buffer.from(owned).toString()).toBe('cde');
  });
});
