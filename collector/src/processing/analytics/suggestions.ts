import { SUGGESTION_THRESHOLDS } from './thresholds.js';

/**
 * Plain-language optimisation suggestions derived from the analytics figures. Each rule has
 * thresholds (`SUGGESTION_THRESHOLDS`) and cites the numbers that triggered it, so a reader can check it.
 */

/** The rules, in the order their suggestions are listed within a severity. */
export const SUGGESTION_RULES = [
  'low_success_rate', 'never_completing', 'tool_failures', 'repeated_tool_calls', 'retries', 'tail_latency', 'expensive_model', 'unpriced_models',
] as const;
export type SuggestionRule = (typeof SUGGESTION_RULES)[number];

/** One suggestion: what to look at, why (`evidence`: the figures that triggered the rule), how urgent. */
export interface Suggestion {
  rule: SuggestionRule;
  severity: 'critical' | 'warning' | 'info';
  /** The agent concerned, or null when it concerns several. */
  agent: string | null;
  /** What the suggestion is about: an agent, tool, step or model name. */
  subject: string;
  message: string;
  evidence: Record<string, number | string>;
}

/**
 * The figures the rules read. Steps with `agent` null (across agents) are ignored. Each part names
 * only the fields the rules use: the analytics report passes its own figures, which carry more.
 */
export interface SuggestionInput {
  agents: readonly { agent: string; figures: SessionInput }[];
  failures: readonly FailureInput[];
  steps: readonly StepInput[];
  models: readonly ModelInput[];
  repeats: readonly RepeatInput[];
}

/** One agent's sessions started in the range. */
export interface SessionInput {
  executions: number;
  completed: number;
  timed_out: number;
  /** Running sessions that started over `SUGGESTION_THRESHOLDS.staleRunningMs` ago. */
  stale_running: number;
  ended: number;
  /** completed / ended; null when none ended. */
  success_rate: number | null;
  /** Durations of ended sessions, ms; null when none ended. */
  duration_ms: { p50: number | null; p95: number | null };
}

/** One agent's failed sessions with one error type, and the most recent one's message. */
export interface FailureInput {
  agent: string;
  error_type: string;
  sessions: number;
  sample_message: string;
  /** Start of the most recent failed session: ns since the epoch, as a decimal string. */
  last_ns: string;
}

/** The calls of one step (an action of one type and name) by one agent, or by every agent (`agent` null). */
export interface StepInput {
  agent: string | null;
  action_type: string;
  /** The tool for a tool call, the model for a model call, else the span name. */
  step: string;
  calls: number;
  failures: number;
  /** Calls that were retries (`agentflow.retry.attempt` > 0). */
  retries: number;
}

/** Tokens and cost of one model used by one agent. */
export interface ModelInput {
  agent: string;
  model: string;
  provider: string;
  input_tokens: number;
  output_tokens: number;
  /** USD. */
  cost_usd: number;
  /** Calls whose model has no price. */
  unpriced_calls: number;
}

/** One agent's tool calls repeated with identical arguments in a session, `SUGGESTION_THRESHOLDS.repeatMin` times or more. */
export interface RepeatInput {
  agent: string;
  tool: string;
  /** Sessions with such repeats. */
  sessions: number;
  /** Calls in the repeated groups. */
  calls: number;
  /** Most repeats of one call in one session. */
  max_repeats: number;
  example_session_id: string;
}

const T = SUGGESTION_THRESHOLDS;
const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

/** Every suggestion the figures call for: most severe first, then in rule order, then by agent and subject. */
export function suggest(input: SuggestionInput): Suggestion[] {
  const out: Suggestion[] = [];
  for (const { agent, figures } of input.agents) {
    out.push(...sessionRules(agent, figures, input.failures.filter((f) => f.agent === agent)));
    out.push(...expensiveModel(agent, input.models.filter((m) => m.agent === agent)));
  }
  for (const step of input.steps) if (step.agent !== null) out.push(...stepRules(step.agent, step));
  for (const r of input.repeats) {
    out.push({
      rule: 'repeated_tool_calls', severity: 'warning', agent: r.agent, subject: r.tool,
      message: `${r.agent} called ${r.tool} with the same arguments ${T.repeatMin} or more times in one session, in ${plural(r.sessions, 'session')} `
        + `(${r.calls} calls, up to ${r.max_repeats} in one session). Cache the result or break the loop: each repeat costs time and tokens.`,
      evidence: { sessions: r.sessions, repeated_calls: r.calls, max_repeats: r.max_repeats, example_session_id: r.example_session_id },
    });
  }
  out.push(...unpricedModels(input.models));
  return out.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]
    || SUGGESTION_RULES.indexOf(a.rule) - SUGGESTION_RULES.indexOf(b.rule)
    || (a.agent ?? '').localeCompare(b.agent ?? '') || a.subject.localeCompare(b.subject));
}

function sessionRules(agent: string, f: SessionInput, failures: readonly FailureInput[]): Suggestion[] {
  const out: Suggestion[] = [];
  if (f.ended >= T.minSessions && f.success_rate !== null && f.success_rate < T.successRate) {
    const failed = f.ended - f.completed;
    const top = [...failures].sort((a, b) => b.sessions - a.sessions || Number(BigInt(b.last_ns) - BigInt(a.last_ns)))[0];
    const cause = top
      ? ` The most common failure is ${top.error_type || 'an unnamed error'} (${top.sessions} of ${failed}${top.sample_message ? `, e.g. "${top.sample_message}"` : ''}): fix that first.`
      : '';
    out.push({
      rule: 'low_success_rate', severity: f.success_rate < T.critical ? 'critical' : 'warning', agent, subject: agent,
      message: `${agent} completed ${f.completed} of ${f.ended} ended sessions (${pct(f.success_rate)}).${cause}`,
      evidence: { completed: f.completed, ended: f.ended, success_rate: f.success_rate, ...(top ? { top_error_type: top.error_type, top_error_sessions: top.sessions } : {}) },
    });
  }
  const hung = f.stale_running + f.timed_out;
  if (hung > 0) {
    out.push({
      rule: 'never_completing', severity: 'warning', agent, subject: agent,
      message: `${agent} has ${[
        f.stale_running > 0 ? `${plural(f.stale_running, 'session')} still running over an hour after starting` : '',
        f.timed_out > 0 ? `${plural(f.timed_out, 'session')} that timed out` : '',
      ].filter((p) => p !== '').join(' and ')} (of ${f.executions}). Check for hung or stuck runs: agentflow sessions --agent ${agent} --status running.`,
      evidence: { stale_running: f.stale_running, timed_out: f.timed_out, executions: f.executions },
    });
  }
  const { p50, p95 } = f.duration_ms;
  if (f.ended >= T.minSessions && p50 !== null && p95 !== null && p50 > 0 && p95 / p50 >= T.tailRatio) {
    out.push({
      rule: 'tail_latency', severity: 'warning', agent, subject: agent,
      message: `${agent}'s slow sessions are far slower than typical: p95 ${ms(p95)} is ${(p95 / p50).toFixed(1)}× the median ${ms(p50)}. `
        + 'Look at the slowest sessions and bottleneck steps for timeouts, retries or oversized inputs.',
      evidence: { p50_ms: p50, p95_ms: p95, ratio: p95 / p50, ended: f.ended },
    });
  }
  return out;
}

function stepRules(agent: string, s: StepInput): Suggestion[] {
  const out: Suggestion[] = [];
  const failureRate = s.failures / s.calls;
  if (s.action_type === 'tool_call' && s.calls >= T.minCalls && failureRate > T.toolFailureRate) {
    out.push({
      rule: 'tool_failures', severity: failureRate > T.critical ? 'critical' : 'warning', agent, subject: s.step,
      message: `${agent}'s tool ${s.step} failed ${s.failures} of ${s.calls} calls (${pct(failureRate)}). Check the arguments it is given and its error handling, or guard the call.`,
      evidence: { calls: s.calls, failures: s.failures, failure_rate: failureRate },
    });
  }
  const retryShare = s.retries / s.calls;
  if (s.retries >= T.minRetries && retryShare >= T.retryShare) {
    out.push({
      rule: 'retries', severity: 'warning', agent, subject: s.step,
      message: `${agent} retried ${s.step} ${s.retries} times in ${s.calls} calls (${pct(retryShare)}). Retries add latency and cost: look at rate limits, timeouts and transient errors.`,
      evidence: { calls: s.calls, retries: s.retries, retry_share: retryShare },
    });
  }
  return out;
}

/** A model carrying most of an agent's cost while the agent also uses a cheaper (priced) one. */
function expensiveModel(agent: string, models: readonly ModelInput[]): Suggestion[] {
  const cost = models.reduce((sum, m) => sum + m.cost_usd, 0);
  const perK = (m: ModelInput) => (m.cost_usd / (m.input_tokens + m.output_tokens)) * 1000;
  const priced = models.filter((m) => m.unpriced_calls === 0 && m.cost_usd > 0 && m.input_tokens + m.output_tokens > 0);
  const top = priced.find((m) => m.cost_usd / cost > T.modelCostShare);
  if (!top) return [];
  const cheaper = priced.filter((m) => m !== top && perK(m) < perK(top)).sort((a, b) => perK(a) - perK(b))[0];
  if (!cheaper) return [];
  const share = top.cost_usd / cost;
  return [{
    rule: 'expensive_model', severity: 'info', agent, subject: top.model,
    message: `${top.model} accounts for ${pct(share)} of ${agent}'s cost (${money(top.cost_usd)} of ${money(cost)}, ${money(perK(top))} per 1K tokens); `
      + `${agent} also uses ${cheaper.model} at ${money(perK(cheaper))} per 1K tokens. Route the calls that do not need ${top.model} to ${cheaper.model}.`,
    evidence: {
      model: top.model, model_cost_usd: top.cost_usd, agent_cost_usd: cost, cost_share: share, usd_per_1k_tokens: perK(top),
      cheaper_model: cheaper.model, cheaper_usd_per_1k_tokens: perK(cheaper),
    },
  }];
}

/** Models without a price, across agents: their cost counts as zero, so totals are lower bounds. */
function unpricedModels(models: readonly ModelInput[]): Suggestion[] {
  const byModel = new Map<string, { model: string; provider: string; calls: number; agents: string[] }>();
  for (const m of models) {
    if (m.unpriced_calls === 0) continue;
    const key = `${m.provider}\u0000${m.model}`;
    const entry = byModel.get(key) ?? { model: m.model, provider: m.provider, calls: 0, agents: [] };
    entry.calls += m.unpriced_calls;
    entry.agents.push(m.agent);
    byModel.set(key, entry);
  }
  return [...byModel.values()].map((m) => ({
    rule: 'unpriced_models', severity: 'info', agent: m.agents.length === 1 ? (m.agents[0] as string) : null, subject: m.model,
    message: `${plural(m.calls, 'call')} to ${m.model}${m.provider ? ` (${m.provider})` : ''} ${m.calls === 1 ? 'has' : 'have'} no price, so cost figures are a lower bound. `
      + 'Add the model to the price table or a price override.',
    evidence: { model: m.model, provider: m.provider, unpriced_calls: m.calls, agents: [...m.agents].sort().join(', ') },
  }));
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function ms(value: number): string {
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`;
}

function money(value: number): string {
  return value >= 1 ? `$${value.toFixed(2)}` : `$${Number(value.toPrecision(3))}`;
}
