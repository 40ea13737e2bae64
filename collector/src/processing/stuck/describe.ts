import { GEN_AI_OPERATION } from '@agentflow/schemas';

/** What a span is, as much as its start record or stored span says. */
export interface SpanFacts {
  operation: string;
  /** The span name (`execute_tool get_forecast`). */
  name: string;
  toolName: string;
  agentName: string;
  model: string;
}

/** Operations whose open spans are bounded as LLM calls. */
export const LLM_OPERATIONS: readonly string[] = [GEN_AI_OPERATION.CHAT, GEN_AI_OPERATION.TEXT_COMPLETION, GEN_AI_OPERATION.GENERATE_CONTENT];
/** Every operation the detector watches open spans of. */
export const WATCHED_OPERATIONS: readonly string[] = [...LLM_OPERATIONS, GEN_AI_OPERATION.EXECUTE_TOOL, GEN_AI_OPERATION.INVOKE_AGENT];

/** "tool get_forecast", "LLM call gpt-4o", "agent planner", "span fetch page". */
export function spanLabel(s: SpanFacts): string {
  const rest = withoutOperation(s.name, s.operation);
  if (s.operation === GEN_AI_OPERATION.EXECUTE_TOOL) return `tool ${s.toolName || rest || '(unnamed)'}`;
  if (s.operation === GEN_AI_OPERATION.INVOKE_AGENT) return `agent ${s.agentName || rest || '(unnamed)'}`;
  if (LLM_OPERATIONS.includes(s.operation)) return `LLM call ${s.model || rest || s.operation}`;
  return s.name === '' ? 'a span' : `span ${s.name}`;
}

/** GenAI span names are `{operation} {target}`: the target alone reads better after the label. */
function withoutOperation(name: string, operation: string): string {
  return operation !== '' && name.startsWith(`${operation} `) ? name.slice(operation.length + 1) : name;
}

/** A span of `ms`, for people: "45s", "4m10s", "11m", "1h5m". Whole seconds, rounded down. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${h}h${m}m` : `${h}h`;
  if (m > 0) return s > 0 ? `${m}m${s}s` : `${m}m`;
  return `${s}s`;
}

/** A time of day in UTC ("10:02:11"), with the date when it is not today's (by `nowMs`). */
export function clockTime(ms: number, nowMs: number): string {
  const iso = new Date(ms).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(nowMs).toISOString().slice(0, 10);
  return sameDay ? iso.slice(11, 19) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
