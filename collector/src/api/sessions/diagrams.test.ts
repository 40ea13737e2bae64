import { describe, expect, it } from 'vitest';
import { flowDiagram, sequenceDiagram, stateDiagram } from './diagrams.js';
import { testAction, testCommunication, testSession, testTransition } from './test-records.js';

const T = (s: string) => `2025-01-01T12:00:${s}000000Z`;

describe('stateDiagram', () => {
  it('draws each walked state once and labels edges with how often they were taken', () => {
    const transitions = [
      testTransition(1, '', 'planning', T('00.100')),
      testTransition(2, 'planning', 'acting', T('00.200')),
      testTransition(3, 'acting', 'planning', T('00.300')),
      testTransition(4, 'planning', 'acting', T('00.400')),
      testTransition(5, '', 'done "ok"', T('00.500')),
    ];
    expect(stateDiagram(testSession(), transitions)).toBe([
      'stateDiagram-v2',
      '    state "planning" as s0',
      '    state "acting" as s1',
      '    state "done #quot;ok#quot;" as s2',
      '    [*] --> s0: 1×',
      '    s0 --> s1: 2×',
      '    s1 --> s0: 1×',
      '    s1 --> s2: 1×',
      '    s2 --> [*]: completed',
    ].join('\n'));
  });

  it('leaves a running session without an end edge', () => {
    const mermaid = stateDiagram(testSession({ status: 'running', ended_at: null }), [testTransition(1, 'idle', 'busy', T('00.100'))]);
    expect(mermaid.split('\n')).toEqual(['stateDiagram-v2', '    state "idle" as s0', '    state "busy" as s1', '    [*] --> s0: 1×', '    s0 --> s1: 1×']);
  });

  it('says so when no state was recorded', () => {
    expect(stateDiagram(testSession(), [])).toBe('stateDiagram-v2\n    %% no state changes were recorded for this session');
  });
});

describe('flowDiagram', () => {
  it('draws the actions in order with shapes by type and marks failures', () => {
    const mermaid = flowDiagram(testSession({ agent_name: 'coder', goal: 'fix [bug] #12' }), [
      testAction(2, 200, { action_type: 'tool_call', name: 'execute_tool run_tests', tool_name: 'run_tests', status: 'failed', error_type: 'Timeout' }),
      testAction(1, 0),
    ]);
    expect(mermaid.split('\n')).toEqual([
      'flowchart TD',
      '    start(["coder: fix #91;bug#93; #35;12"])',
      '    a1["1. LLM gpt-4o<br/>100 in / 10 out · 100 ms"]',
      '    start --> a1',
      '    a2[["2. tool run_tests<br/>100 ms<br/>FAILED: Timeout"]]',
      '    a1 --> a2',
      '    finish(["completed"])',
      '    a2 --> finish',
      '    classDef failed fill:#fde2e2,stroke:#c62828,color:#8e0000',
      '    class a2 failed',
    ]);
  });
});

describe('sequenceDiagram', () => {
  it('draws agents as participants, delegations and replies between them and tool calls as self-messages', () => {
    const root = testSession({ session_id: 'r'.repeat(16), agent_name: 'orchestrator' });
    const child = testSession({
      session_id: 'c'.repeat(16), parent_session_id: 'r'.repeat(16), agent_name: 'researcher',
      started_at: T('00.100'), ended_at: T('00.500'),
    });
    const mermaid = sequenceDiagram([root, child], [
      testCommunication({ from_session_id: root.session_id, to_session_id: child.session_id, from_agent: 'orchestrator', to_agent: 'researcher', message_type: 'delegation', sent_at: T('00.100') }),
      testCommunication({ from_session_id: child.session_id, from_agent: 'researcher', to_agent: 'Billing; Agent', message_type: 'handoff', sent_at: T('00.400') }),
    ], [
      testAction(1, 50, { session_id: root.session_id, action_type: 'tool_call', tool_name: 'delegate_research' }),
      testAction(1, 200, { session_id: child.session_id, action_type: 'tool_call', tool_name: 'web_search', status: 'failed' }),
    ]);
    expect(mermaid.split('\n')).toEqual([
      'sequenceDiagram',
      '    participant p0 as orchestrator',
      '    participant p1 as researcher',
      '    participant p2 as Billing#59; Agent',
      '    p0->>p0: delegate_research',
      '    p0->>p1: delegates',
      '    p1->>p1: web_search #40;failed#41;',
      '    p1->>p2: hands off',
      '    p1-->>p0: completed',
    ]);
  });
});
