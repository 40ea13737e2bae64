/**
 * Plausible agent runs for the ingest bench: what an instrumented agent framework emits for one
 * agent turn (OTel GenAI conventions), with values drawn from a seeded generator so every run of
 * the bench sends comparable data. Sized to ~1.2 KB per encoded span, 15–25 attributes each.
 */
import type { Attributes } from '@opentelemetry/api';
import { AGENTFLOW, GENERAL, GEN_AI, GEN_AI_OPERATION, RESOURCE } from '@agentflow/schemas';
import { EXCEPTION_EVENT, OTEL } from './semconv.js';

/** A uniform random number in [0, 1). */
export type Random = () => number;

/** One span of a synthetic agent run, before ids are assigned. */
export interface SyntheticSpan {
  name: string;
  kind: 'client' | 'internal';
  /** Index of the parent within the run; undefined for the root. Always lower than the span's own. */
  parentIndex?: number;
  startMs: number;
  endMs: number;
  attributes: Attributes;
  /** The span's single event. */
  event: { name: string; atMs: number; attributes: Attributes };
  /** Status message when the span failed; undefined when it succeeded. */
  error?: string;
}

/** mulberry32: small, fast, seedable; quality is ample for picking test values. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = ['support-agent', 'research-agent', 'coding-agent', 'billing-agent', 'ops-agent'] as const;
const AGENTS = ['triage', 'researcher', 'planner', 'refund-specialist', 'sql-analyst', 'code-reviewer'] as const;
const SUB_AGENTS = ['web-search', 'summarizer', 'policy-checker', 'translator'] as const;
const MODELS = [
  { provider: 'openai', model: 'gpt-4.1-mini', response: 'gpt-4.1-mini-2025-04-14', host: 'api.openai.com' },
  { provider: 'openai', model: 'gpt-4o', response: 'gpt-4o-2024-08-06', host: 'api.openai.com' },
  { provider: 'anthropic', model: 'claude-sonnet-4-5', response: 'claude-sonnet-4-5-20250929', host: 'api.anthropic.com' },
  { provider: 'gcp.gemini', model: 'gemini-2.5-flash', response: 'gemini-2.5-flash', host: 'generativelanguage.googleapis.com' },
] as const;
const TOOLS = [
  { name: 'search_docs', description: 'Full-text search over the product knowledge base; returns the top passages.' },
  { name: 'lookup_order', description: 'Fetch an order with its line items, payment state and shipping events.' },
  { name: 'run_sql', description: 'Run a read-only SQL query against the analytics warehouse and return rows.' },
  { name: 'create_ticket', description: 'Open a support ticket in the helpdesk and assign it to a queue.' },
  { name: 'fetch_url', description: 'Download a web page and return its readable text, truncated to 4,000 chars.' },
] as const;
const WORDS = (
  'order refund shipping delayed customer account invoice payment status tracking warehouse policy ' +
  'discount premium subscription renewal cancel region latency error retry summary report query'
).split(' ');

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function int(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function hex(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}

function uuid(random: Random): string {
  const h = hex(random, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

function sentence(random: Random, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(pick(random, WORDS));
  return out.join(' ');
}

/** Resource attributes of one agent service instance (`index` picks the service). */
export function buildResourceAttributes(index: number, random: Random): Attributes {
  return {
    [RESOURCE.SERVICE_NAME]: SERVICES[index % SERVICES.length] as string,
    [RESOURCE.SERVICE_INSTANCE_ID]: uuid(random),
    [RESOURCE.SERVICE_VERSION]: `1.${int(random, 0, 30)}.${int(random, 0, 9)}`,
    [RESOURCE.HOST_NAME]: `agents-${hex(random, 6)}-${hex(random, 5)}`,
    [OTEL.HOST_ARCH]: 'amd64',
    [OTEL.OS_TYPE]: 'linux',
    [RESOURCE.PROCESS_PID]: int(random, 1, 60_000),
    [OTEL.PROCESS_RUNTIME_NAME]: 'nodejs',
    [OTEL.PROCESS_RUNTIME_VERSION]: '20.19.4',
    [OTEL.DEPLOYMENT_ENVIRONMENT_NAME]: 'production',
    [RESOURCE.TELEMETRY_SDK_NAME]: 'opentelemetry',
    [RESOURCE.TELEMETRY_SDK_LANGUAGE]: 'nodejs',
    [RESOURCE.TELEMETRY_SDK_VERSION]: '2.12.1',
  };
}

/** Inputs of {@link buildAgentTrace}. */
export interface AgentTraceOptions {
  random: Random;
  /** Start of the run, ms since the epoch. */
  startMs: number;
  /** Distinguishes runs (becomes part of the agent id). */
  runIndex: number;
}

/**
 * One agent run of 8 spans: `invoke_agent` root; chat, tool, chat, tool; a sub-agent
 * `invoke_agent` with its own chat; a final chat. About 1 in 12 tool calls fails.
 */
export function buildAgentTrace({ random, startMs, runIndex }: AgentTraceOptions): SyntheticSpan[] {
  const model = pick(random, MODELS);
  const agent = pick(random, AGENTS);
  const common: Attributes = {
    [GEN_AI.PROVIDER_NAME]: model.provider,
    [GEN_AI.REQUEST_MODEL]: model.model,
    [GEN_AI.CONVERSATION_ID]: uuid(random),
    [GENERAL.SESSION_ID]: `sess_${hex(random, 24)}`,
    [GENERAL.USER_ID]: `user_${int(random, 1000, 999_999)}`,
  };
  const agentAttrs = (name: string): Attributes => ({
    ...common,
    [GEN_AI.AGENT_NAME]: name,
    [GEN_AI.AGENT_ID]: `asst_${hex(random, 20)}_${runIndex}`,
  });
  const spans: SyntheticSpan[] = [];
  let clock = startMs + int(random, 1, 5);

  const chat = (parentIndex: number, name: string, finish: string): void => {
    const start = clock;
    const end = start + int(random, 300, 4_000);
    clock = end + int(random, 1, 20);
    spans.push({
      name: `${GEN_AI_OPERATION.CHAT} ${model.model}`,
      kind: 'client',
      parentIndex,
      startMs: start,
      endMs: end,
      attributes: {
        ...agentAttrs(name),
        [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.CHAT,
        [GEN_AI.RESPONSE_MODEL]: model.response,
        [GEN_AI.RESPONSE_ID]: `chatcmpl-${hex(random, 29)}`,
        [GEN_AI.REQUEST_TEMPERATURE]: Math.round(random() * 10) / 10,
        [GEN_AI.REQUEST_MAX_TOKENS]: pick(random, [1024, 2048, 4096]),
        [GEN_AI.REQUEST_TOP_P]: 1,
        [GEN_AI.USAGE_INPUT_TOKENS]: int(random, 400, 30_000),
        [GEN_AI.USAGE_OUTPUT_TOKENS]: int(random, 20, 1_500),
        [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: int(random, 0, 20_000),
        [GEN_AI.RESPONSE_FINISH_REASONS]: [finish],
        [GEN_AI.OUTPUT_TYPE]: 'text',
        [OTEL.SERVER_ADDRESS]: model.host,
        [OTEL.SERVER_PORT]: 443,
      },
      // The agent's choice after this call, as agentflow's instrumentation records it.
      event: {
        name: AGENTFLOW.DECISION_EVENT,
        atMs: end,
        attributes: {
          [AGENTFLOW.DECISION_TYPE]: finish === 'stop' ? 'final_answer' : 'tool_selection',
          [AGENTFLOW.DECISION_QUESTION]: `Which step resolves: ${sentence(random, 6)}?`,
          [AGENTFLOW.DECISION_OPTIONS]: TOOLS.slice(0, 3).map((t) => t.name),
          [AGENTFLOW.DECISION_CHOSEN]: finish === 'stop' ? 'answer' : pick(random, TOOLS).name,
          [AGENTFLOW.DECISION_REASONING]: sentence(random, int(random, 6, 10)),
          [AGENTFLOW.DECISION_CONFIDENCE]: Math.round(random() * 100) / 100,
        },
      },
    });
  };

  const tool = (parentIndex: number, name: string): void => {
    const spec = pick(random, TOOLS);
    const callId = `call_${hex(random, 24)}`;
    const failed = random() < 1 / 12;
    const start = clock;
    const end = start + int(random, 5, 2_500);
    clock = end + int(random, 1, 20);
    const error = failed ? `${spec.name} timed out after 2500 ms` : undefined;
    spans.push({
      name: `${GEN_AI_OPERATION.EXECUTE_TOOL} ${spec.name}`,
      kind: 'internal',
      parentIndex,
      startMs: start,
      endMs: end,
      attributes: {
        ...agentAttrs(name),
        [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.EXECUTE_TOOL,
        [GEN_AI.TOOL_NAME]: spec.name,
        [GEN_AI.TOOL_TYPE]: 'function',
        [GEN_AI.TOOL_CALL_ID]: callId,
        [GEN_AI.TOOL_DESCRIPTION]: spec.description,
        [OTEL.CODE_FUNCTION_NAME]: `tools.${spec.name}`,
        [GEN_AI.TOOL_CALL_ARGUMENTS]: JSON.stringify({ query: sentence(random, 6), limit: int(random, 3, 20) }),
        [GEN_AI.TOOL_CALL_RESULT]: failed ? '' : JSON.stringify({ items: int(random, 0, 20), text: sentence(random, 28) }),
        ...(failed ? { [GENERAL.ERROR_TYPE]: 'TimeoutError' } : {}),
      },
      event: failed
        ? { name: EXCEPTION_EVENT, atMs: end, attributes: { [GENERAL.EXCEPTION_TYPE]: 'TimeoutError', [GENERAL.EXCEPTION_MESSAGE]: error } }
        : {
            name: AGENTFLOW.MESSAGE_EVENT,
            atMs: end,
            attributes: { [AGENTFLOW.MESSAGE_TYPE]: 'tool_result', [AGENTFLOW.MESSAGE_IN_RESPONSE_TO]: callId },
          },
      error,
    });
  };

  const invokeAgent = (parentIndex: number | undefined, name: string): number => {
    const index = spans.length;
    spans.push({
      name: `${GEN_AI_OPERATION.INVOKE_AGENT} ${name}`,
      kind: 'internal',
      parentIndex,
      startMs: clock,
      endMs: clock, // set once its children are known
      attributes: {
        ...agentAttrs(name),
        [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.INVOKE_AGENT,
        [GEN_AI.AGENT_DESCRIPTION]: `Handles ${sentence(random, 4)} requests for the ${agent} workflow.`,
        [GEN_AI.REQUEST_TEMPERATURE]: 0.2,
        [GEN_AI.REQUEST_MAX_TOKENS]: 4096,
        [GEN_AI.OUTPUT_TYPE]: 'text',
        [GEN_AI.USAGE_INPUT_TOKENS]: int(random, 2_000, 90_000),
        [GEN_AI.USAGE_OUTPUT_TOKENS]: int(random, 100, 5_000),
        [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: int(random, 0, 60_000),
      },
      event: {
        name: AGENTFLOW.STATE_EVENT,
        atMs: clock,
        attributes: { [AGENTFLOW.STATE_FROM]: 'idle', [AGENTFLOW.STATE_TO]: 'running', [AGENTFLOW.STATE_REASON]: sentence(random, 8) },
      },
    });
    clock += int(random, 1, 5);
    return index;
  };

  const close = (index: number): void => {
    const span = spans[index] as SyntheticSpan;
    span.endMs = clock;
    clock += int(random, 1, 5);
  };

  const root = invokeAgent(undefined, agent);
  chat(root, agent, 'tool_calls');
  tool(root, agent);
  chat(root, agent, 'tool_calls');
  tool(root, agent);
  const sub = invokeAgent(root, pick(random, SUB_AGENTS));
  chat(sub, (spans[sub] as SyntheticSpan).attributes[GEN_AI.AGENT_NAME] as string, 'stop');
  close(sub);
  chat(root, agent, 'stop');
  close(root);
  return spans;
}
