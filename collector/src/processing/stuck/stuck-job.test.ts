import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENTFLOW, AGENT_INSTANCE_STATUS, DATABASE, GEN_AI, GEN_AI_OPERATION, MIGRATIONS_DIR, RESOURCE, TABLES,
  type AnomalyRow, type LogRow, type SessionRow, type SpanRow,
} from '@agentflow/schemas';
import { AGENT_SINKS, BatchWriter, loadMigrations, migrate, openStorage, Wal, type Storage } from '../../storage/index.js';
import { ANOMALY_SINK, LOG_SINK, SPAN_SINK } from '../../storage/sinks.js';
import { encodeNativeBlock, type NativeColumn } from '../../storage/native-block.js';
import { StuckJob, type StuckOptionsInput } from './index.js';

/**
 * The stuck detector on the real embedded engine, with its clock in the test's hands. Each case
 * lives in its own day (ten days apart, beyond the 24 h horizon), so one case's records never
 * show in another's passes; every row a job publishes is written to `anomalies_data` as the
 * collector would.
 */

const SEC = 1_000;
const MIN = 60 * SEC;
const TENANT = 'default';
let storage: Storage;
let dir: string;
let clock = 0;
let day = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentflow-stuck-'));
  storage = openStorage({ kind: 'embedded', dataDir: dir });
  await migrate(storage.client, loadMigrations(MIGRATIONS_DIR));
});
afterAll(async () => {
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The start of a case's own day, 10:00:00 UTC, with the clock set to it. */
function newDay(): number {
  clock = Date.UTC(2026, 0, 1 + 10 * day++, 10, 0, 0);
  return clock;
}

const ns = (ms: number) => BigInt(ms) * 1_000_000n;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const silent = { info: () => {}, warn: () => {}, error: () => {} };

async function insert<Row>(sink: { table: string; columns: readonly NativeColumn<Row>[] }, rows: readonly Row[]): Promise<void> {
  await storage.insertNative(sink.table, sink.columns.map((c) => c.name), [encodeNativeBlock(sink.columns, rows)], randomUUID());
}

/**
 * A job whose every pass is written to storage, returning what it published. The `timed_out`
 * sessions it derives are collected in `timedOut`, one entry per hand-over (not written).
 */
function newJob(options: StuckOptionsInput = {}): { job: StuckJob; pass(): Promise<AnomalyRow[]>; timedOut: SessionRow[][] } {
  const published: AnomalyRow[][] = [];
  const timedOut: SessionRow[][] = [];
  const job = new StuckJob({
    client: storage.client, publish: (rows) => published.push([...rows]), log: silent, now: () => clock, timedOut: (rows) => timedOut.push([...rows]),
  }, options);
  return {
    job,
    timedOut,
    async pass() {
      const rows = await job.runOnce();
      expect(published.pop() ?? []).toEqual(rows);
      if (rows.length > 0) await insert(ANOMALY_SINK, rows);
      return rows;
    },
  };
}

function log(atMs: number, eventName: string, instance: string, attributes: Record<string, string>, traceId = '', spanId = ''): LogRow {
  return {
    tenantId: TENANT, timeUnixNano: ns(atMs), traceId, spanId, traceFlags: 1, severityText: '', severityNumber: 0, serviceName: 'fleet', body: '',
    resourceAttributes: instance === '' ? {} : { [RESOURCE.SERVICE_INSTANCE_ID]: instance }, scopeName: 'agentflow', scopeVersion: '',
    scopeAttributes: {}, attributes, eventName,
  };
}

interface Started { traceId: string; spanId: string }

/** The start record of a span; its trace is `parent.traceId` or a new one. `attributes` are added to the record's. */
async function started(
  atMs: number, operation: string, target: string, opts: { instance?: string; parent?: Started; attributes?: Record<string, string> } = {},
): Promise<Started> {
  const traceId = opts.parent?.traceId ?? hex(16);
  const spanId = hex(8);
  const attributes: Record<string, string> = { [GEN_AI.OPERATION_NAME]: operation, [AGENTFLOW.SPAN_NAME]: `${operation} ${target}`, ...opts.attributes };
  if (opts.parent) attributes[AGENTFLOW.SPAN_PARENT_SPAN_ID] = opts.parent.spanId;
  if (operation === GEN_AI_OPERATION.INVOKE_AGENT) attributes[GEN_AI.AGENT_NAME] = target;
  if (operation === GEN_AI_OPERATION.EXECUTE_TOOL) attributes[GEN_AI.TOOL_NAME] = target;
  await insert(LOG_SINK, [log(atMs, AGENTFLOW.SPAN_START_EVENT, opts.instance ?? '', attributes, traceId, spanId)]);
  return { traceId, spanId };
}

async function heartbeats(instance: string, intervalMs: number, times: readonly number[], status: string = AGENT_INSTANCE_STATUS.ONLINE): Promise<void> {
  await insert(LOG_SINK, times.map((t) => log(t, AGENTFLOW.HEARTBEAT_EVENT, instance, {
    [AGENTFLOW.INSTANCE_STATUS]: status, [AGENTFLOW.HEARTBEAT_INTERVAL_MS]: String(intervalMs),
  })));
}

/** A span that ended, as the exporter sends it. */
function span(traceId: string, spanId: string, parentSpanId: string, startMs: number, endMs: number, operation: string, target: string): SpanRow {
  const attributes: Record<string, string> = { [GEN_AI.OPERATION_NAME]: operation };
  if (operation === GEN_AI_OPERATION.EXECUTE_TOOL) attributes[GEN_AI.TOOL_NAME] = target;
  if (operation === GEN_AI_OPERATION.CHAT) attributes[GEN_AI.REQUEST_MODEL] = target;
  return {
    tenantId: TENANT, startTimeUnixNano: ns(startMs), endTimeUnixNano: ns(endMs), traceId, spanId, parentSpanId, traceState: '',
    name: `${operation} ${target}`, kind: 'Internal', serviceName: 'fleet', resourceAttributes: {}, scopeName: 'test', scopeVersion: '',
    attributes, statusCode: 'Unset', statusMessage: '', events: [], links: [],
  };
}

async function stored(anomalyId: string): Promise<Record<string, unknown>[]> {
  const rs = await storage.client.query({
    query: `SELECT kind, resolved_at IS NULL AS open FROM ${DATABASE}.${TABLES.ANOMALIES} WHERE anomaly_id = {id:String}`,
    format: 'JSONEachRow', query_params: { id: anomalyId },
  });
  return rs.json();
}

describe('stuck.stale', () => {
  it('opens when a running session shows no sign of life past the threshold, once, and resolves when a span arrives', async () => {
    const t0 = newDay();
    const session = await started(t0, GEN_AI_OPERATION.INVOKE_AGENT, 'forecaster', { instance: 'host-1/pid-42' });
    const tool = await started(t0 + 10 * SEC, GEN_AI_OPERATION.EXECUTE_TOOL, 'get_forecast', { parent: session, instance: 'host-1/pid-42' });
    await insert(SPAN_SINK, [span(session.traceId, tool.spanId, session.spanId, t0 + 10 * SEC, t0 + 20 * SEC, GEN_AI_OPERATION.EXECUTE_TOOL, 'get_forecast')]);
    const { pass } = newJob();

    clock = t0 + 2 * MIN; // 100 s after the tool ended: under the 120 s floor
    expect(await pass()).toEqual([]);

    clock = t0 + 5 * MIN;
    const [stale, ...rest] = await pass();
    expect(rest).toEqual([]);
    expect(stale).toMatchObject({
      kind: 'stuck.stale', severity: 'warning', sessionId: session.spanId, traceId: session.traceId, agentName: 'forecaster',
      detail: 'no sign of life for 4m40s (last: tool get_forecast ended 10:00:20)', evidence: [session.spanId, tool.spanId],
      count: 1, detectedAt: ns(clock), lastSeenAt: ns(t0 + 20 * SEC), resolvedAt: null,
    });

    clock += 15 * SEC;
    expect(await pass()).toEqual([]);

    await insert(SPAN_SINK, [span(session.traceId, hex(8), session.spanId, clock - 5 * SEC, clock - 2 * SEC, GEN_AI_OPERATION.CHAT, 'gpt-4o')]);
    clock += 5 * SEC;
    const [resolved, ...more] = await pass();
    expect(more).toEqual([]);
    expect(resolved).toMatchObject({ anomalyId: stale?.anomalyId, kind: 'stuck.stale', detectedAt: stale?.detectedAt, resolvedAt: ns(clock) });
    expect(resolved?.detail).toMatch(/; resolved: activity resumed$/);
    expect(await stored(stale?.anomalyId ?? '')).toEqual([{ kind: 'stuck.stale', open: 0 }]);
  });
});

describe('stuck.orphaned', () => {
  it('opens when the process reports offline while its session runs (after one interval)', async () => {
    const t0 = newDay();
    await heartbeats('host-2/pid-7', 10 * SEC, [t0, t0 + 10 * SEC, t0 + 20 * SEC]);
    const session = await started(t0 + 5 * SEC, GEN_AI_OPERATION.INVOKE_AGENT, 'planner', { instance: 'host-2/pid-7' });
    await heartbeats('host-2/pid-7', 10 * SEC, [t0 + 30 * SEC], AGENT_INSTANCE_STATUS.OFFLINE);
    const { pass } = newJob();

    // The spans of a process shutting down cleanly may arrive just after its offline report: one interval's grace.
    clock = t0 + 40 * SEC;
    expect(await pass()).toEqual([]);

    clock = t0 + 45 * SEC;
    expect(await pass()).toEqual([expect.objectContaining({
      kind: 'stuck.orphaned', severity: 'critical', sessionId: session.spanId, agentName: 'planner', evidence: [session.spanId],
      detail: 'process host-2/pid-7 went offline at 10:00:30 while the session was running', lastSeenAt: ns(t0 + 30 * SEC),
    })]);
  });

  it('opens when heartbeats stop for three intervals, and resolves when they resume', async () => {
    const t0 = newDay();
    await heartbeats('host-3/pid-9', 10 * SEC, [t0, t0 + 10 * SEC, t0 + 20 * SEC]);
    const session = await started(t0 + 5 * SEC, GEN_AI_OPERATION.INVOKE_AGENT, 'planner', { instance: 'host-3/pid-9' });
    const { pass } = newJob();

    clock = t0 + 45 * SEC; // silent for 25 s: under three intervals
    expect(await pass()).toEqual([]);

    clock = t0 + 60 * SEC;
    const [orphaned, ...rest] = await pass();
    expect(rest).toEqual([]);
    expect(orphaned).toMatchObject({
      kind: 'stuck.orphaned', sessionId: session.spanId,
      detail: 'process host-3/pid-9 stopped sending heartbeats after 10:00:20 (expected every 10s) while the session was running',
    });

    await heartbeats('host-3/pid-9', 10 * SEC, [t0 + 65 * SEC]);
    clock = t0 + 70 * SEC;
    expect(await pass()).toEqual([expect.objectContaining({ anomalyId: orphaned?.anomalyId, resolvedAt: ns(clock) })]);
  });
});

describe('stuck.open_span', () => {
  it('opens for an instrumented tool call open past 10 minutes', async () => {
    const t0 = newDay();
    const session = await started(t0, GEN_AI_OPERATION.INVOKE_AGENT, 'forecaster', { instance: 'host-4/pid-1' });
    const tool = await started(t0 + 5 * SEC, GEN_AI_OPERATION.EXECUTE_TOOL, 'get_forecast', { parent: session, instance: 'host-4/pid-1' });
    // The process is alive throughout: the session is neither stale nor orphaned.
    await heartbeats('host-4/pid-1', 30 * SEC, Array.from({ length: 23 }, (_, i) => t0 + i * 30 * SEC));
    const { pass } = newJob();

    clock = t0 + 9 * MIN;
    expect(await pass()).toEqual([]);

    clock = t0 + 11 * MIN + 5 * SEC;
    expect(await pass()).toEqual([expect.objectContaining({
      kind: 'stuck.open_span', severity: 'warning', sessionId: session.spanId, traceId: session.traceId, agentName: 'forecaster',
      detail: 'tool get_forecast started 11m ago and has not ended (bound 10m)', evidence: [tool.spanId], lastSeenAt: ns(t0 + 5 * SEC),
    })]);
  });

  it('opens for a trace without start records whose root never arrives while its children do, and resolves when it arrives', async () => {
    const t0 = newDay();
    const traceId = hex(16);
    const root = hex(8);
    const { pass } = newJob();
    // An agent loop whose framework sends no start records: a model call and a tool call every 10 minutes.
    const children: string[] = [];
    for (let m = 0; m <= 60; m += 10) {
      const ids = [hex(8), hex(8)];
      children.push(...ids);
      await insert(SPAN_SINK, [
        span(traceId, ids[0] ?? '', root, t0 + m * MIN, t0 + m * MIN + 20 * SEC, GEN_AI_OPERATION.CHAT, 'gpt-4o'),
        span(traceId, ids[1] ?? '', root, t0 + m * MIN + 20 * SEC, t0 + m * MIN + 50 * SEC, GEN_AI_OPERATION.EXECUTE_TOOL, 'search'),
      ]);
      if (m === 60) break;
      clock = t0 + m * MIN + 55 * SEC;
      expect(await pass()).toEqual([]);
    }
    clock = t0 + 61 * MIN + 30 * SEC;
    const [open, ...rest] = await pass();
    expect(rest).toEqual([]);
    expect(open).toMatchObject({
      kind: 'stuck.open_span', severity: 'warning', sessionId: root, traceId, count: 14, evidence: children, lastSeenAt: ns(t0 + 60 * MIN + 50 * SEC),
      detail: `spans keep arriving (14 so far, the last ended 11:00:50) but their parent span ${root} has not, 1h1m after the trace's first span (bound 1h)`,
    });

    clock += 15 * SEC;
    expect(await pass()).toEqual([]);

    await insert(SPAN_SINK, [span(traceId, root, '', t0 - SEC, clock - SEC, GEN_AI_OPERATION.INVOKE_AGENT, 'researcher')]);
    expect(await pass()).toEqual([expect.objectContaining({ anomalyId: open?.anomalyId, resolvedAt: ns(clock) })]);
    expect(await stored(open?.anomalyId ?? '')).toEqual([{ kind: 'stuck.open_span', open: 0 }]);
  });
});

describe('restart', () => {
  it('loads the open anomalies: publishes nothing unchanged, and resolves what the previous run opened', async () => {
    const t0 = newDay();
    const session = await started(t0, GEN_AI_OPERATION.INVOKE_AGENT, 'forecaster');
    clock = t0 + 3 * MIN;
    const [stale] = await newJob().pass();
    expect(stale).toMatchObject({ kind: 'stuck.stale', sessionId: session.spanId });

    clock += 10 * SEC;
    expect(await newJob().pass()).toEqual([]);

    await insert(SPAN_SINK, [span(session.traceId, session.spanId, '', t0, clock + 2 * SEC, GEN_AI_OPERATION.INVOKE_AGENT, 'forecaster')]);
    clock += 5 * SEC;
    const [resolved, ...rest] = await newJob().pass();
    expect(rest).toEqual([]);
    expect(resolved).toMatchObject({ anomalyId: stale?.anomalyId, detectedAt: stale?.detectedAt, resolvedAt: ns(clock) });
    expect(resolved?.detail).toMatch(/; resolved: the session ended$/);
    expect(resolved?.version).toBeGreaterThan(stale?.version ?? 0n);
    expect(await stored(stale?.anomalyId ?? '')).toEqual([{ kind: 'stuck.stale', open: 0 }]);
  });
});

describe('lifecycle', () => {
  it('runs a first pass soon after start, then one per interval, until stopped (idempotently)', async () => {
    newDay();
    const job = new StuckJob({ client: storage.client, publish: () => {}, log: silent, now: () => clock }, { firstPassDelayMs: 0, intervalMs: 50 });
    job.start();
    await expect.poll(() => job.stats().passes, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    await Promise.all([job.stop(), job.stop()]);
    const passes = job.stats().passes;
    await new Promise((r) => setTimeout(r, 150));
    expect(job.stats()).toMatchObject({ passes, failed: 0 });
  });
});

describe('timed_out sessions', () => {
  const { INVOKE_AGENT, EXECUTE_TOOL } = GEN_AI_OPERATION;
  /** The kinds and sessions of anomalies, order aside. */
  const found = (rows: readonly AnomalyRow[]) => rows.map((r) => `${r.kind} ${r.sessionId}`).sort();

  it('derives a session that exported no span once the assembly timeout passed, from its start record, once', async () => {
    const t0 = newDay();
    const instance = 'host-5/pid-3';
    await heartbeats(instance, 10 * SEC, [t0, t0 + 10 * SEC]);
    const startNs = ns(t0 + 2 * SEC) + 123_456n;
    const monitor = await started(t0 + 2 * SEC, INVOKE_AGENT, 'monitor-agent', {
      instance,
      attributes: {
        [GEN_AI.AGENT_ID]: 'agt-7', [AGENTFLOW.AGENT_TYPE]: 'monitor', [AGENTFLOW.GOAL]: 'watch the fleet', [GEN_AI.WORKFLOW_NAME]: 'trip-planner',
        [GEN_AI.CONVERSATION_ID]: 'conv-1', [AGENTFLOW.SPAN_START_TIME_UNIX_NANO]: startNs.toString(),
      },
    });
    const tool = await started(t0 + 4 * SEC, EXECUTE_TOOL, 'watch_fleet', { instance, parent: monitor });
    const checker = await started(t0 + 6 * SEC, INVOKE_AGENT, 'checker', { instance, parent: tool });
    await heartbeats(instance, 10 * SEC, [t0 + 20 * SEC], AGENT_INSTANCE_STATUS.OFFLINE);
    const { pass, timedOut } = newJob();

    clock = t0 + MIN;
    expect(found(await pass())).toEqual([`stuck.orphaned ${monitor.spanId}`, `stuck.orphaned ${checker.spanId}`].sort());
    expect(timedOut).toEqual([]);

    clock = t0 + 5 * MIN + 2 * SEC; // the monitor started 5 min ago (the default timeout); the checker 4 s later
    await pass();
    expect(timedOut).toEqual([[{
      tenantId: TENANT, sessionId: monitor.spanId, traceId: monitor.traceId, rootSessionId: monitor.spanId, parentSessionId: '',
      agentId: 'agt-7', agentName: 'monitor-agent', agentType: 'monitor', agentDescription: '', goal: 'watch the fleet', goalType: '', taskId: '',
      workflowName: 'trip-planner', conversationId: 'conv-1', userId: '', trigger: '', status: 'timed_out',
      // Ended at the trace's last sign of life: the checker's start record.
      startedAt: startNs, endedAt: ns(t0 + 6 * SEC), durationMs: 3_999.876544,
      llmCalls: 0, toolCalls: 0, actions: 0, errors: 0, unpricedCalls: 0,
      inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, errorType: '', errorMessage: '',
      serviceName: 'fleet', serviceInstanceId: instance, spanName: 'invoke_agent monitor-agent', dialect: 'agentflow', implicit: false,
      version: expect.any(BigInt),
    }]]);
    expect(timedOut[0]?.[0]?.version).toBeGreaterThanOrEqual(ns(clock));

    clock += 15 * SEC;
    await pass();
    expect(timedOut).toHaveLength(2);
    // Its parent session is the nearest agent above it, through the open tool call.
    expect(timedOut[1]).toEqual([expect.objectContaining({
      sessionId: checker.spanId, parentSessionId: monitor.spanId, rootSessionId: monitor.spanId, agentName: 'checker',
      startedAt: ns(t0 + 6 * SEC), endedAt: ns(t0 + 6 * SEC), durationMs: 0, status: 'timed_out',
    })]);

    clock += 15 * SEC;
    await pass();
    expect(timedOut).toHaveLength(2);

    // A restarted collector finds them derived.
    await insert(AGENT_SINKS.sessions, timedOut.flat());
    const restarted = newJob();
    clock += 15 * SEC;
    await restarted.pass();
    expect(restarted.timedOut).toEqual([]);
  });

  it('derives nothing for a session that already has a derived session', async () => {
    const t0 = newDay();
    const instance = 'host-6/pid-4';
    await heartbeats(instance, 10 * SEC, [t0]);
    const session = await started(t0 + 2 * SEC, INVOKE_AGENT, 'planner', { instance });
    await heartbeats(instance, 10 * SEC, [t0 + 10 * SEC], AGENT_INSTANCE_STATUS.OFFLINE);
    const { pass, timedOut } = newJob();
    clock = t0 + MIN;
    expect(found(await pass())).toEqual([`stuck.orphaned ${session.spanId}`]);

    // Assembly settled its trace: a tool span of it came, the agent span did not.
    const assembled: SessionRow = {
      tenantId: TENANT, sessionId: session.spanId, traceId: session.traceId, rootSessionId: session.spanId, parentSessionId: '', agentId: '',
      agentName: 'planner', agentType: '', agentDescription: '', goal: '', goalType: '', taskId: '', workflowName: '', conversationId: '', userId: '',
      trigger: '', status: 'timed_out', startedAt: ns(t0 + 3 * SEC), endedAt: ns(t0 + 4 * SEC), durationMs: 1_000, llmCalls: 0, toolCalls: 1,
      actions: 1, errors: 0, unpricedCalls: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0,
      errorType: '', errorMessage: '', serviceName: 'fleet', serviceInstanceId: instance, spanName: '', dialect: 'genai', implicit: false, version: ns(t0 + MIN),
    };
    await insert(AGENT_SINKS.sessions, [assembled]);
    clock = t0 + 6 * MIN;
    await pass();
    clock += 15 * SEC;
    await pass();
    expect(timedOut).toEqual([]);
  });

  it('derives a stale session of a process without heartbeats, after the timeout it is given', async () => {
    const t0 = newDay();
    const session = await started(t0, INVOKE_AGENT, 'researcher');
    const { pass, timedOut } = newJob({ timedOutAfterMs: 10 * MIN });
    clock = t0 + 5 * MIN;
    expect(found(await pass())).toEqual([`stuck.stale ${session.spanId}`]);
    expect(timedOut).toEqual([]);

    clock = t0 + 10 * MIN;
    await pass();
    expect(timedOut).toEqual([[expect.objectContaining({ sessionId: session.spanId, status: 'timed_out', serviceInstanceId: '', startedAt: ns(t0) })]]);
  });

  it('takes the session out of agent_live_sessions once the collector writes it', async () => {
    // The view reads the last day by the engine's clock: this case runs now.
    clock = Date.now();
    const instance = 'host-7/pid-2';
    await heartbeats(instance, 10 * SEC, [clock - 6 * MIN]);
    const session = await started(clock - 6 * MIN + SEC, INVOKE_AGENT, 'monitor-agent', { instance });
    await heartbeats(instance, 10 * SEC, [clock - 6 * MIN + 5 * SEC], AGENT_INSTANCE_STATUS.OFFLINE);
    const live = async () => (await storage.client.query({
      query: `SELECT status FROM ${DATABASE}.${TABLES.LIVE_SESSIONS} WHERE session_id = {id:String}`, format: 'JSONEachRow', query_params: { id: session.spanId },
    })).json();
    const derived = async () => (await storage.client.query({
      query: `SELECT status, agent_name FROM ${DATABASE}.${TABLES.SESSIONS} WHERE session_id = {id:String}`, format: 'JSONEachRow', query_params: { id: session.spanId },
    })).json();
    expect(await live()).toEqual([{ status: 'running' }]);

    const walDir = mkdtempSync(join(tmpdir(), 'agentflow-stuck-wal-'));
    const { wal } = await Wal.open(walDir, 1 << 20);
    const writer = new BatchWriter(storage, wal, {
      batchRows: 1_000, minBatchRows: 1, flushMs: 10, concurrency: 1, maxQueueRows: 10_000, maxQueueBytes: 1 << 24, maxRetries: 2, walDir, walSegmentBytes: 1 << 20,
    }, { ...silent, debug: () => {} }, async () => {});
    try {
      const job = new StuckJob({
        client: storage.client, publish: () => {}, log: silent, now: () => clock, timedOut: (rows) => void writer.write(AGENT_SINKS.sessions, rows),
      });
      await job.runOnce();
      expect(job.stats().timedOut).toBe(1);
      await writer.flush();
      expect(await live()).toEqual([]);
      expect(await derived()).toEqual([{ status: 'timed_out', agent_name: 'monitor-agent' }]);
    } finally {
      await writer.stop(5_000);
      await wal.close();
      rmSync(walDir, { recursive: true, force: true });
    }
  });
});
