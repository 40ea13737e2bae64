import { z } from 'zod';
import { DEFAULT_LOOP_THRESHOLDS, type Budgets, type LoopThresholds } from '../loops/index.js';
import { readSettingsFile, type FileResult } from '../config-file.js';
import { DEFAULT_QUALITY_OPTIONS, QUALITY_CHECKS, type QualityCheckName, type QualityOptions } from '../../assembly/quality/index.js';

/** The rules' settings for one session. */
export interface DetectionSettings {
  loops: LoopThresholds;
  budgets: Budgets;
}

/** Who a session is, for choosing its settings. */
export interface SessionScope {
  tenantId: string;
  agentName: string;
  agentType: string;
  workflowName: string;
}

/** Settings for a session, most specific match last. */
export type SettingsFor = (scope: SessionScope) => DetectionSettings;

/** A rolling cost limit: more than `usdPerHour` spent within the last hour by one agent (or tenant). */
export interface CostRateLimit {
  usdPerHour: number;
  per: 'agent' | 'tenant';
}

const count = z.number().int().positive();
const LOOPS = z.strictObject({
  repeat_warning: count, repeat_critical: count, window_repeats: count, window_size: count, error_repeats: count,
  ping_pong_repeats: count, no_progress_repeats: count, polling_repeats: count, polling_tools: z.array(z.string().min(1)),
  repeated_outputs: count, max_state_visits: count, no_progress_ms: count,
}).partial();
const BUDGETS = z.strictObject({
  llm_calls: count, tool_calls: count, steps: count, tokens: count, cost_usd: z.number().positive(), duration_ms: count,
}).partial();
const QUALITY = z.strictObject({
  min_words: z.number().int().nonnegative().optional(),
  max_words: count.optional(),
  poor_threshold: z.number().min(0).max(1).optional(),
  /** `{ self_correction: false }` turns a check off; checks not named stay on. */
  checks: z.partialRecord(z.enum(QUALITY_CHECKS), z.boolean()).optional(),
}).refine((q) => (q.min_words ?? DEFAULT_QUALITY_OPTIONS.minWords) <= (q.max_words ?? DEFAULT_QUALITY_OPTIONS.maxWords), 'min_words must not exceed max_words');
const SCOPED = { loops: LOOPS.optional(), budgets: BUDGETS.optional() };

/** The detection file (`AGENTFLOW_DETECTION_FILE`): defaults, then overrides matched per tenant, agent type and workflow. */
export const DETECTION_FILE_SCHEMA = z.strictObject({
  ...SCOPED,
  quality: QUALITY.optional(),
  cost_rate: z.strictObject({ usd_per_hour: z.number().positive(), per: z.enum(['agent', 'tenant']).default('agent') }).optional(),
  overrides: z.array(z.strictObject({
    match: z.strictObject({ tenant: z.string().min(1), agent_type: z.string().min(1), agent: z.string().min(1), workflow: z.string().min(1) })
      .partial().refine((m) => Object.keys(m).length > 0, 'name at least one of tenant, agent_type, agent, workflow'),
    ...SCOPED,
  })).default([]),
});
export type DetectionFile = z.infer<typeof DETECTION_FILE_SCHEMA>;

/** Reads and validates a detection file. */
export function loadDetectionFile(path: string): FileResult<DetectionFile> {
  return readSettingsFile(path, DETECTION_FILE_SCHEMA);
}

/** The rolling cost limit of a detection file, if it sets one. */
export function costRateOf(file: DetectionFile | undefined): CostRateLimit | undefined {
  const rate = file?.cost_rate;
  return rate ? { usdPerHour: rate.usd_per_hour, per: rate.per } : undefined;
}

/** The answer checks of a detection file (built-in defaults for what it leaves out). */
export function qualityOf(file: DetectionFile | undefined): QualityOptions {
  const q = file?.quality;
  if (!q) return DEFAULT_QUALITY_OPTIONS;
  const disabled = new Set<QualityCheckName>(QUALITY_CHECKS.filter((c) => q.checks?.[c] === false));
  return {
    minWords: q.min_words ?? DEFAULT_QUALITY_OPTIONS.minWords,
    maxWords: q.max_words ?? DEFAULT_QUALITY_OPTIONS.maxWords,
    poorThreshold: q.poor_threshold ?? DEFAULT_QUALITY_OPTIONS.poorThreshold,
    disabled,
  };
}

/**
 * Settings per session from a detection file (built-in defaults when there is none). Overrides
 * apply in file order on top of the defaults, each where all of its `match` fields agree, so a
 * later, narrower override wins. Plain data in, a function out: the assembly thread builds it
 * from the parsed file it is started with.
 */
export function createSettingsFor(file: DetectionFile | undefined): SettingsFor {
  const base: DetectionSettings = apply({ loops: DEFAULT_LOOP_THRESHOLDS, budgets: {} }, file?.loops, file?.budgets);
  const overrides = file?.overrides ?? [];
  if (overrides.length === 0) return () => base;
  const cache = new Map<string, DetectionSettings>();
  return (scope) => {
    const key = `${scope.tenantId}\u0000${scope.agentName}\u0000${scope.agentType}\u0000${scope.workflowName}`;
    let settings = cache.get(key);
    if (!settings) {
      settings = base;
      for (const o of overrides) {
        const m = o.match;
        if ((m.tenant ?? scope.tenantId) !== scope.tenantId || (m.agent_type ?? scope.agentType) !== scope.agentType
          || (m.agent ?? scope.agentName) !== scope.agentName || (m.workflow ?? scope.workflowName) !== scope.workflowName) continue;
        settings = apply(settings, o.loops, o.budgets);
      }
      // Bounded: scopes are few in practice, but a sender controls agent names.
      if (cache.size >= 10_000) cache.clear();
      cache.set(key, settings);
    }
    return settings;
  };
}

function apply(on: DetectionSettings, loops: z.infer<typeof LOOPS> | undefined, budgets: z.infer<typeof BUDGETS> | undefined): DetectionSettings {
  return { loops: overlay(on.loops, loops), budgets: overlay(on.budgets, budgets) };
}

/** `on` with the fields the file gives (its snake_case keys are the camelCase fields, spelled as files spell them). */
function overlay<T extends object>(on: T, given: Record<string, unknown> | undefined): T {
  const out = { ...on } as Record<string, unknown>;
  for (const [key, value] of Object.entries(given ?? {})) {
    if (value !== undefined) out[key.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase())] = value;
  }
  return out as T;
}
