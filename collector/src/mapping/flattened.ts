import type { AttributeMap } from '@agentflow/schemas';

/** Lists longer than this are cut: a span never holds thousands of messages, a hostile one might. */
const MAX_INDEX = 1000;
/** Segments that would write to an object's prototype. */
const UNSAFE_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

type Container = unknown[] | Record<string, unknown>;

/**
 * Rebuilds a list that an emitter flattened into indexed keys, e.g. OpenLLMetry's
 * `gen_ai.prompt.0.role` / `gen_ai.completion.0.tool_calls.1.name`, or OpenInference's
 * `llm.output_messages.0.message.tool_calls.0.tool_call.function.name` (OTel attributes cannot
 * nest, so both conventions encode lists this way). Numeric segments become array indices, others
 * object keys. Returns [] when no key has the prefix.
 */
export function unflatten(attrs: AttributeMap, prefix: string): unknown[] {
  const root: unknown[] = [];
  const lead = `${prefix}.`;
  for (const key in attrs) {
    if (!key.startsWith(lead)) continue;
    const path = key.slice(lead.length).split('.');
    if (!isIndex(path[0])) continue;
    assign(root, path, attrs[key] as string);
  }
  return root.filter((item) => item !== undefined);
}

function isIndex(segment: string | undefined): segment is string {
  return segment !== undefined && /^\d{1,4}$/.test(segment) && Number(segment) < MAX_INDEX;
}

/** Sets `value` at `path` under `root`, creating arrays/objects on the way; conflicting paths are skipped. */
function assign(root: Container, path: string[], value: string): void {
  let node: Container = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (UNSAFE_SEGMENTS.has(segment)) return;
    const last = i === path.length - 1;
    const key = Array.isArray(node) ? (isIndex(segment) ? Number(segment) : undefined) : segment;
    if (key === undefined) return;
    if (last) {
      (node as Record<string | number, unknown>)[key] = value;
      return;
    }
    const next = child(node, key, isIndex(path[i + 1]));
    if (next === undefined) return;
    node = next;
  }
}

/** The container at `key`, created when missing; undefined when a scalar already sits there. */
function child(node: Container, key: number | string, wantArray: boolean): Container | undefined {
  const existing = (node as Record<string | number, unknown>)[key];
  if (existing === undefined) {
    const created: Container = wantArray ? [] : {};
    (node as Record<string | number, unknown>)[key] = created;
    return created;
  }
  return typeof existing === 'object' && existing !== null ? (existing as Container) : undefined;
}
