import { z } from 'zod';
import { AgentflowError, ERROR_CODES } from '../../errors.js';
import { isoFromNs } from '../sessions/time.js';
import { ISO_TIME_PARAM as isoTime, TEXT_PARAM as text } from '../query-params.js';

const NS_PER_HOUR = 3_600_000_000_000n;
const NS_PER_DAY = 24n * NS_PER_HOUR;

/** Length of the default range (the last 7 days) and of the longest range accepted (a year and a day). */
export const RANGE_LIMITS = { defaultNs: 7n * NS_PER_DAY, maxNs: 366n * NS_PER_DAY } as const;

/** Ranges up to this long are charted per hour; longer ones per day, so a chart stays a few hundred points. */
export const HOURLY_BUCKETS_UP_TO_NS = 31n * NS_PER_DAY;

/** Query string of the analytics endpoints: the time range, sessions started at or after `from` and before `to`. */
export const ANALYTICS_QUERY = z.object({
  /** Start of the range (inclusive); default `to` minus 7 days. */
  from: isoTime.optional(),
  /** End of the range (exclusive); default now. */
  to: isoTime.optional(),
}).strict();

/** Path of `GET /analytics/agents/:agent`: the agent's name (`gen_ai.agent.name`). */
export const AGENT_PARAMS = z.object({ agent: text });

/** Query string of `GET /debug/agent-fired`: which agent, in which conversation (`gen_ai.conversation.id`). */
export const AGENT_FIRED_QUERY = z.object({ agent: text, conversation: text }).strict();

/** A resolved time range in nanoseconds since the epoch, `from` inclusive, `to` exclusive. */
export interface TimeRange {
  fromNs: bigint;
  toNs: bigint;
  /** Width of a chart bucket: an hour, or a day for ranges over 31 days. */
  bucket: 'hour' | 'day';
}

/** The range as answers state it: ISO times and the bucket width. */
export interface RangeInfo {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
}

/**
 * The range a request asks for, with defaults: `to` is now, `from` is `to` minus 7 days. A range
 * that is empty, reversed or longer than a year is a 400 naming the rule.
 */
export function resolveRange(query: z.output<typeof ANALYTICS_QUERY>, nowMs: number): TimeRange {
  const toNs = query.to ?? BigInt(nowMs) * 1_000_000n;
  const fromNs = query.from ?? toNs - RANGE_LIMITS.defaultNs;
  if (fromNs >= toNs) throw badRequest('invalid query parameter from: must be before to');
  if (toNs - fromNs > RANGE_LIMITS.maxNs) throw badRequest('invalid query parameter from: the range may span at most 366 days');
  return { fromNs, toNs, bucket: toNs - fromNs > HOURLY_BUCKETS_UP_TO_NS ? 'day' : 'hour' };
}

/** The range for an answer. */
export function rangeInfo(range: TimeRange): RangeInfo {
  return { from: isoFromNs(range.fromNs), to: isoFromNs(range.toNs), bucket: range.bucket };
}

function badRequest(message: string): AgentflowError {
  return new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, message);
}
