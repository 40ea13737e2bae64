import { describe, expect, it } from 'vitest';
import { buildTree, flattenTree } from './session-tree.js';
import { testSession } from './test-records.js';

describe('buildTree', () => {
  const root = testSession({ session_id: 'r', agent_name: 'root', llm_calls: 1, input_tokens: 10, cost_usd: 0.1 });
  const a = testSession({ session_id: 'a', parent_session_id: 'r', agent_name: 'a', started_at: '2025-01-01T12:00:00.200000000Z', llm_calls: 2, input_tokens: 20, cost_usd: 0.2 });
  const b = testSession({ session_id: 'b', parent_session_id: 'r', agent_name: 'b', started_at: '2025-01-01T12:00:00.100000000Z', tool_calls: 1 });
  const a1 = testSession({ session_id: 'a1', parent_session_id: 'a', agent_name: 'a1', input_tokens: 5, errors: 1 });

  it('nests children in start order with totals over each subtree', () => {
    const tree = buildTree([a1, a, root, b], 'r');
    expect(tree?.children.map((c) => c.session.agent_name)).toEqual(['b', 'a']);
    expect(tree?.children[1]?.children.map((c) => c.session.agent_name)).toEqual(['a1']);
    expect(tree?.totals).toMatchObject({ sessions: 4, llm_calls: 3, tool_calls: 1, input_tokens: 35, errors: 1, cost_usd: 0.3 });
    expect(tree?.children[1]?.totals).toMatchObject({ sessions: 2, llm_calls: 2, input_tokens: 25 });
    expect(flattenTree(tree!).map((s) => s.session_id)).toEqual(['r', 'b', 'a', 'a1']);
  });

  it('is null when the root is missing', () => {
    expect(buildTree([a, b], 'r')).toBeNull();
  });
});
