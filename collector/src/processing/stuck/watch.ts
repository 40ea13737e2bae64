import type { ClickHouseClient } from '@clickhouse/client';
import { GEN_AI_OPERATION } from '@agentflow/schemas';
import type { StuckLogger, StuckOptions } from './options.js';
import {
  endedSpans, heartbeatsSince, lastSpanEnds, latestStartsSince, openStartsBetween, rootlessActiveTraces, spanKey, traceKey, traceShapes,
  type Heartbeat, type SpanRef, type StartRecord, type TraceActivity, type TraceShape,
} from './stuck-queries.js';
import { instanceKey, offlineSince, staleAfterMs, type PassView } from './stuck-rules.js';

/** The subject of an open anomaly, which a pass must look at even when no start record is watched for it. */
export interface Subject extends SpanRef {
  /** Found by the rootless rule: its trace is read whole again. */
  rootless: boolean;
  /** Since when it is known, ms: how often it is looked up follows from its age. */
  sinceMs: number;
}

/** What one pass read: the view for the rules, the subjects found ended, and the state to commit. */
export interface PassRead {
  view: PassView;
  /** `spanKey`s of watched spans and subjects that ended. */
  ended: ReadonlySet<string>;
  firstPass: boolean;
  /** What {@link StuckWatch.commit} keeps: the watch list, the time read to, the lookups done. */
  readonly next: { watched: Map<string, StartRecord>; scannedToMs: number; checked: (() => void)[] };
}

/** Rootless candidate traces read per pass at most: each is read whole. */
const MAX_ROOTLESS_TRACES = 1_000;
/** The first pass reads the horizon's start records in slices this long, so each matches spans of one slice only. */
const FIRST_PASS_SLICE_MS = 3_600_000;

/** Spans open, and sessions silent, for less than this are looked up every pass. */
const YOUNG_MS = 10 * 60_000;

/**
 * When each span or trace is next looked up: every pass while its state is young (under
 * {@link YOUNG_MS}), then at a quarter of the time beyond that, at most `maxMs` apart. Spans open for hours are mostly ones that will never
 * end (a crashed process); looking each up every pass would read the whole horizon every pass.
 */
class LookupSchedule {
  private readonly next = new Map<string, number>();
  constructor(private readonly maxMs: number) {}
  isDue(key: string, nowMs: number): boolean {
    return (this.next.get(key) ?? Number.NEGATIVE_INFINITY) <= nowMs;
  }
  checked(key: string, nowMs: number, ageMs: number): void {
    this.next.set(key, nowMs + Math.min(Math.max(ageMs - YOUNG_MS, 0) / 4, this.maxMs));
  }
  retain(keep: (key: string) => boolean): void {
    for (const key of this.next.keys()) if (!keep(key)) this.next.delete(key);
  }
}

/**
 * What the stuck detector knows between passes about what is running: the spans started and not
 * ended (from start records), each process's latest heartbeat, and each running session's latest
 * start record and span end. A pass reads only what may have changed since the previous one: start
 * records and heartbeats since then (less `lateMs`; the first pass reads the horizon), ends of the
 * spans watched from before that window and of the subjects of open anomalies (on a schedule by
 * age), span ends of sessions that nothing else shows alive, and traces still running past the
 * agent bound without a root.
 */
export class StuckWatch {
  private watched = new Map<string, StartRecord>();
  private readonly heartbeats = new Map<string, Heartbeat>();
  private readonly lastStarts = new Map<string, TraceActivity>();
  private readonly lastEnds = new Map<string, TraceActivity>();
  private readonly spanChecks: LookupSchedule;
  private readonly endChecks: LookupSchedule;
  private scannedToMs: number | undefined;
  /** Open spans dropped beyond `maxWatched`, in all. */
  dropped = 0;

  constructor(private readonly client: ClickHouseClient, private readonly o: StuckOptions, private readonly log: StuckLogger) {
    this.spanChecks = new LookupSchedule(o.maxRecheckMs);
    this.endChecks = new LookupSchedule(o.maxRecheckMs);
  }

  /** Open spans watched now. */
  get size(): number {
    return this.watched.size;
  }

  /** Reads one pass's view at `now`. Nothing it returns is kept until {@link commit}. */
  async read(now: number, subjects: readonly Subject[]): Promise<PassRead> {
    const o = this.o;
    const firstPass = this.scannedToMs === undefined;
    const fromMs = firstPass ? now - o.horizonMs : Math.min(this.scannedToMs as number, now) - o.lateMs;
    const checked: (() => void)[] = [];
    const fresh = await this.readOpenStarts(fromMs, now);
    this.mergeHeartbeats(await heartbeatsSince(this.client, fromMs), now);
    const { watched, ended } = await this.refreshWatched(fresh.records, fresh.complete, fromMs, now, subjects, checked);
    const sessions = [...watched.values()].filter((s) => s.operation === GEN_AI_OPERATION.INVOKE_AGENT);
    const activity = await this.sessionActivity(sessions, fromMs, now, checked);

    const window = staleAfterMs(undefined, o);
    const rootless = await rootlessActiveTraces(this.client, {
      recentFromMs: now - window - o.lateMs, activeSinceMs: now - window, firstBeforeMs: now - o.bounds.agentMs,
    }, MAX_ROOTLESS_TRACES);
    // A trace whose root is watched running is left to the start records' rules: no need to read it whole.
    const runningRoots = new Set([...watched.values()].filter((w) => w.parentSpanId === '').map((w) => traceKey(w.tenantId, w.traceId)));
    const reread = subjects.filter((s) => s.rootless && !watched.has(spanKey(s.tenantId, s.spanId)));
    const toRead = [...rootless.filter((t) => !runningRoots.has(traceKey(t.tenantId, t.traceId))), ...reread];
    const shapes = toRead.length === 0 ? new Map<string, TraceShape>() : await traceShapes(this.client, toRead);

    return { view: { nowMs: now, watched, heartbeats: this.heartbeats, activity, shapes }, ended, firstPass, next: { watched, scannedToMs: now, checked } };
  }

  /** Keeps what a pass read, once its anomalies are published: a publish that throws is redone by the next pass. */
  commit(read: PassRead): void {
    this.watched = read.next.watched;
    this.scannedToMs = read.next.scannedToMs;
    for (const c of read.next.checked) c();
  }

  /** Open start records from `fromMs` on; the first pass's long range in slices. `complete`: no read was cut at its limit. */
  private async readOpenStarts(fromMs: number, now: number): Promise<{ records: StartRecord[]; complete: boolean }> {
    const limit = this.o.maxWatched;
    const records: StartRecord[] = [];
    let complete = true;
    for (let from = fromMs; ; from += FIRST_PASS_SLICE_MS) {
      const last = from + FIRST_PASS_SLICE_MS >= now;
      const slice = await openStartsBetween(this.client, from, last ? null : from + FIRST_PASS_SLICE_MS, limit);
      records.push(...slice);
      if (slice.length >= limit) complete = false;
      if (last) return { records, complete };
    }
  }

  /**
   * The spans still open: those of the window that its read found open, and older ones not found
   * ended (looked up when due). Subjects nothing watches are looked up too. Returns the new watch
   * list, bounded, and the spans found ended.
   */
  private async refreshWatched(
    fresh: readonly StartRecord[], complete: boolean, fromMs: number, now: number, subjects: readonly Subject[], checked: (() => void)[],
  ): Promise<{ watched: Map<string, StartRecord>; ended: Set<string> }> {
    const o = this.o;
    const freshByKey = new Map(fresh.map((s) => [spanKey(s.tenantId, s.spanId), s]));
    const ended = new Set<string>();
    const lookups: (SpanRef & { sinceMs: number })[] = [];
    for (const [key, w] of this.watched) {
      if (freshByKey.has(key)) continue;
      // The window's read saw every span of the window that is still open, unless it was cut at its limit.
      if (complete && w.startedMs >= fromMs) ended.add(key);
      else if (this.spanChecks.isDue(key, now)) lookups.push({ ...w, sinceMs: w.startedMs });
    }
    for (const s of subjects) {
      const key = spanKey(s.tenantId, s.spanId);
      if (!this.watched.has(key) && !freshByKey.has(key) && this.spanChecks.isDue(key, now)) lookups.push(s);
    }
    if (lookups.length > 0) for (const key of await endedSpans(this.client, lookups)) ended.add(key);
    checked.push(() => { for (const l of lookups) this.spanChecks.checked(spanKey(l.tenantId, l.spanId), now, now - l.sinceMs); });

    let watched = new Map<string, StartRecord>();
    for (const [key, w] of this.watched) if (!ended.has(key) && !freshByKey.has(key) && w.startedMs >= now - o.horizonMs) watched.set(key, w);
    for (const [key, s] of freshByKey) watched.set(key, s);
    if (watched.size > o.maxWatched) {
      const dropped = watched.size - o.maxWatched;
      watched = new Map([...watched].sort((a, b) => b[1].startedMs - a[1].startedMs).slice(0, o.maxWatched));
      this.dropped += dropped;
      this.log.warn({ dropped, maxWatched: o.maxWatched, droppedTotal: this.dropped }, 'too many open spans to watch; the oldest are no longer watched');
    }
    const subjectKeys = new Set(subjects.map((s) => spanKey(s.tenantId, s.spanId)));
    checked.push(() => this.spanChecks.retain((key) => watched.has(key) || subjectKeys.has(key)));
    return { watched, ended };
  }

  /**
   * The latest start record or span end of each running session's trace. Start records come from
   * each pass's window; span ends are read only for sessions that nothing else shows alive (a
   * fresh heartbeat or start record rules out staleness) or whose process is offline, when due.
   */
  private async sessionActivity(
    sessions: readonly StartRecord[], fromMs: number, now: number, checked: (() => void)[],
  ): Promise<Map<string, TraceActivity>> {
    // What is known of activity only grows: kept at once. Lookup times wait for the commit.
    const traces = new Set(sessions.map((s) => traceKey(s.tenantId, s.traceId)));
    for (const map of [this.lastStarts, this.lastEnds]) for (const key of map.keys()) if (!traces.has(key)) map.delete(key);
    checked.push(() => this.endChecks.retain((key) => traces.has(key)));
    if (sessions.length === 0) return new Map();

    for (const [key, latest] of await latestStartsSince(this.client, fromMs, sessions)) {
      if (latest.lastMs >= (this.lastStarts.get(key)?.lastMs ?? Number.NEGATIVE_INFINITY)) this.lastStarts.set(key, latest);
    }
    const lastSign = (s: StartRecord) => Math.max(s.startedMs, this.lastStarts.get(traceKey(s.tenantId, s.traceId))?.lastMs ?? 0,
      this.lastEnds.get(traceKey(s.tenantId, s.traceId))?.lastMs ?? 0);
    const needEnds = sessions.filter((s) => {
      const beat = this.heartbeatOf(s);
      const threshold = staleAfterMs(beat, this.o);
      const quiet = now - lastSign(s) > threshold && (beat === undefined || now - beat.lastMs > threshold);
      return (quiet || offlineSince(beat, now, this.o) !== null) && this.endChecks.isDue(traceKey(s.tenantId, s.traceId), now);
    });
    if (needEnds.length > 0) {
      const ends = await lastSpanEnds(this.client, needEnds);
      for (const s of needEnds) {
        const key = traceKey(s.tenantId, s.traceId);
        const end = ends.get(key);
        if (end) this.lastEnds.set(key, end);
        const idle = now - lastSign(s);
        checked.push(() => this.endChecks.checked(key, now, idle));
      }
    }
    const activity = new Map(this.lastStarts);
    for (const [key, end] of this.lastEnds) if (end.lastMs > (activity.get(key)?.lastMs ?? Number.NEGATIVE_INFINITY)) activity.set(key, end);
    return activity;
  }

  private mergeHeartbeats(beats: readonly Heartbeat[], now: number): void {
    for (const b of beats) {
      const key = instanceKey(b.tenantId, b.instance);
      const seen = this.heartbeats.get(key);
      if (seen === undefined || b.lastMs >= seen.lastMs) this.heartbeats.set(key, b);
    }
    for (const [key, b] of this.heartbeats) if (b.lastMs < now - this.o.horizonMs) this.heartbeats.delete(key);
  }

  private heartbeatOf(s: StartRecord): Heartbeat | undefined {
    return s.instance === '' ? undefined : this.heartbeats.get(instanceKey(s.tenantId, s.instance));
  }
}
