import { extname } from 'node:path';
import { z } from 'zod';
import { ANOMALY_KINDS, ANOMALY_SEVERITIES, type AnomalyKind, type AnomalySeverity } from '@agentflow/schemas';
import { readSettingsFile } from '../config-file.js';

/** One alert rule, parsed: which anomalies it matches and where and how often it sends them. */
export interface AlertRule {
  /** Unique among the rules; names the rule in payloads, logs and `agentflow alerts test <name>`. */
  name: string;
  /** Matches this kind only. At most one of `kind` and `kindPrefix`; neither matches every kind. */
  kind?: AnomalyKind | undefined;
  /** Matches kinds that start with it: `loop` or `loop.` for the loop family, `loop.repeat` for two kinds. */
  kindPrefix?: string | undefined;
  /** Matches this severity and every higher one: `warning` (the default) matches all, `critical` only critical. */
  minSeverity: AnomalySeverity;
  /** Matches anomalies of this agent only (exact name). */
  agent?: string | undefined;
  /** Matches anomalies of this tenant only; also hides the rule from other tenants' callers of the API. */
  tenant?: string | undefined;
  /** Where deliveries are POSTed, with extra request headers (which may hold secrets: never shown by the API). */
  webhook: { url: string; headers: Record<string, string> };
  /** At most one alert per rule and session in this long, ms (default 10 min). */
  intervalMs: number;
  /** Attempts after the first one on a network error, a 5xx or a 429 (default 5). */
  retries: number;
  /** Wait before the first retry, ms (default 1 s); doubled per retry up to `backoffMaxMs` (default 5 min), with jitter. */
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** One attempt is abandoned (and retried) after this long, ms (default 10 s). */
  timeoutMs: number;
}

/** The outcome of reading a rules file: the rules, or every problem found, each naming the file and the field. */
export type AlertRulesResult = { ok: true; rules: AlertRule[] } | { ok: false; errors: string[] };

const UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+)(ms|s|m|h|d)$/;

/** A duration written like `30s`, `10m`, `1h`; its length in ms. */
const duration = (min: number) => z.string({ error: 'must be a duration like 30s, 10m or 1h' })
  .regex(DURATION, { error: 'must be a duration like 30s, 10m or 1h (units ms, s, m, h, d)' })
  .transform((text) => {
    const [, amount, unit] = DURATION.exec(text) as RegExpExecArray;
    return Number(amount) * UNITS_MS[unit as keyof typeof UNITS_MS];
  })
  .refine((ms) => ms >= min, { error: `must be at least ${min} ms` });

// Set by the dispatcher on every delivery: a rule may not replace them.
const RESERVED_HEADERS = ['content-type', 'content-length', 'host', 'idempotency-key'];
// RFC 9110 §5.1 field names; §5.5 values without CR, LF or NUL (fetch refuses them at send time).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const WEBHOOK = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  headers: z.record(
    z.string(),
    z.string({ error: 'header values must be strings' }).regex(/^[^\r\n\0]*$/, { error: 'header values may not hold line breaks' }),
  ).superRefine((headers, ctx) => {
    // Checked here, not by the record's key schema, whose issues zod reports as "Invalid key in record".
    for (const name of Object.keys(headers)) {
      if (!HEADER_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'header names are letters, digits and !#$%&\'*+.^_`|~-' });
      else if (RESERVED_HEADERS.includes(name.toLowerCase())) ctx.addIssue({ code: 'custom', path: [name], message: `${RESERVED_HEADERS.join(', ')} are set by agentflow` });
    }
  }).default({}),
});

const RULE = z.strictObject({
  name: z.string({ error: 'is required: a unique name' }).regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'must be 1-64 letters, digits, _, . or -' }),
  kind: z.enum(ANOMALY_KINDS, { error: `must be one of ${ANOMALY_KINDS.join(', ')}` }).optional(),
  kind_prefix: z.string().min(1).refine((p) => ANOMALY_KINDS.some((k) => k.startsWith(p)), { error: 'matches no anomaly kind (try loop, stuck, budget, workflow or quality)' }).optional(),
  severity: z.enum(ANOMALY_SEVERITIES, { error: 'must be warning (matches warning and critical) or critical' }).default('warning'),
  agent: z.string().min(1).optional(),
  tenant: z.string().min(1).optional(),
  webhook: WEBHOOK,
  interval: duration(1_000).default(600_000),
  retries: z.int({ error: 'must be a whole number from 0 to 20' }).min(0).max(20).default(5),
  backoff: z.strictObject({ initial: duration(1).default(1_000), max: duration(1).default(300_000) }).default({ initial: 1_000, max: 300_000 }),
  timeout: duration(100).default(10_000),
}).refine((r) => r.kind === undefined || r.kind_prefix === undefined, { error: 'give kind or kind_prefix, not both', path: ['kind_prefix'] });

const FILE = z.strictObject(
  { rules: z.array(RULE, { error: 'must be a list of rules' }) },
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be an object with a rules list' : undefined) },
);

/**
 * Reads the alert rules file (`AGENTFLOW_ALERTS_FILE`): YAML for `.yaml`/`.yml`, JSON for `.json`.
 * Never throws: an unreadable file, bad syntax and each invalid field are errors naming the file
 * and the field (`rules.2.webhook.url`), as for the other settings files, so start-up can print
 * them all and exit.
 */
export function loadAlertRules(path: string): AlertRulesResult {
  if (!['.yaml', '.yml', '.json'].includes(extname(path).toLowerCase())) return { ok: false, errors: [`${path}: the rules file must end in .yaml, .yml or .json`] };
  const read = readSettingsFile(path, FILE);
  if (!read.ok) return read;
  const errors: string[] = [];
  const seen = new Set<string>();
  read.value.rules.forEach((r, i) => {
    if (seen.has(r.name)) errors.push(`${path}: rules.${i}.name: another rule is already named '${r.name}'`);
    seen.add(r.name);
    if (r.backoff.max < r.backoff.initial) errors.push(`${path}: rules.${i}.backoff.max: must be at least backoff.initial`);
  });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    rules: read.value.rules.map((r) => ({
      name: r.name, kind: r.kind, kindPrefix: r.kind_prefix, minSeverity: r.severity, agent: r.agent, tenant: r.tenant,
      webhook: { url: r.webhook.url, headers: r.webhook.headers }, intervalMs: r.interval, retries: r.retries,
      backoffInitialMs: r.backoff.initial, backoffMaxMs: r.backoff.max, timeoutMs: r.timeout,
    })),
  };
}
