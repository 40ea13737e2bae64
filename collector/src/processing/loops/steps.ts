import type { AnomalyKind, AnomalySeverity } from '@agentflow/schemas';

/** One action of a session, as the loop rules see it. */
export interface Step {
  spanId: string;
  /** `llm_call`, `tool_call`, `handoff`, … (agent_actions.action_type). */
  actionType: string;
  /** What ran: the tool, the agent handed to, or the model. */
  name: string;
  /** {@link actionKey}: type, name and canonical arguments. */
  key: string;
  /** {@link resultKey}: '' when nothing about the result was captured. */
  resultKey: string;
  failed: boolean;
  errorType: string;
  /** Hash of the normalised model output (LLM calls with captured content), else ''. */
  outputKey: string;
  startNs: bigint;
  endNs: bigint;
}

/** A state the session entered (`agentflow.state`). */
export interface StateEntry {
  state: string;
  spanId: string;
  atNs: bigint;
}

/** An agent that took over or was delegated to, in order (for ping-pong between agents). */
export interface AgentHop {
  agent: string;
  spanId: string;
  atNs: bigint;
}

/** What one session did so far, in start order. */
export interface SessionActivity {
  steps: Step[];
  states: StateEntry[];
  hops: AgentHop[];
}

/** What a rule found: everything an anomaly row needs but the session's identity. */
export interface Finding {
  kind: AnomalyKind;
  severity: AnomalySeverity;
  detail: string;
  evidence: string[];
  count: number;
  /** Distinguishes two findings of one kind that start at the same span (a key, a state). */
  discriminator: string;
  /** When the pattern was complete: the end of the step that completed it. */
  detectedNs: bigint;
  /** The end of its last evidence. */
  lastSeenNs: bigint;
  /** When the session moved on (an action that broke the pattern); null while the pattern still stands. */
  resolvedNs: bigint | null;
}

/** Model calls: they are how an agent thinks between actions, so runs of actions skip them. */
export function isModelCall(step: Step): boolean {
  return step.actionType === 'llm_call' || step.actionType === 'embedding';
}

/** Evidence lists are capped: the first spans show where it began, the last where it stands. */
export const MAX_EVIDENCE = 50;

/** At most {@link MAX_EVIDENCE} span ids: the first half and the last half of `ids`. */
export function capEvidence(ids: readonly string[]): string[] {
  if (ids.length <= MAX_EVIDENCE) return [...ids];
  const half = MAX_EVIDENCE / 2;
  return [...ids.slice(0, half), ...ids.slice(ids.length - half)];
}
