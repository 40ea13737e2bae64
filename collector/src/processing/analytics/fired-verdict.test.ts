import { describe, expect, it } from 'vitest';
import { judge, type ConversationSession, type FiredEvidence } from './fired-verdict.js';

const session = (over: Partial<ConversationSession>): ConversationSession => ({
  session_id: 's1', trace_id: 't1', parent_session_id: '', agent: 'billing', status: 'completed', started_at: '2026-01-01T10:00:00.000000000Z',
  ended_at: '2026-01-01T10:00:01.000000000Z', duration_ms: 1000, error_type: '', error_message: '', live: false, idle_ms: null, ...over,
});
const none: FiredEvidence = { sessions: [], failed_actions: [], decisions: [], handovers: [], conversation_agents: [], elsewhere: null };
const desk = { agent: 'desk', sessions: 1, completed: 1, failed: 0, running: 0, first_started_at: 'T0', last_started_at: 'T0' };

describe('judge', () => {
  it('fired: a completed session, counting failures beside it', () => {
    const v = judge('billing', 'c1', { ...none, sessions: [session({ status: 'failed', session_id: 's0' }), session({})] });
    expect(v).toEqual({ verdict: 'fired', explanation: 'billing fired in conversation c1: it completed once (last at 2026-01-01T10:00:00.000000000Z), failed once.' });
  });

  it('fired: running now, with its idle time', () => {
    const v = judge('billing', 'c1', { ...none, sessions: [session({ status: 'running', live: true, idle_ms: 4200, ended_at: null, duration_ms: null })] });
    expect(v.verdict).toBe('fired');
    expect(v.explanation).toBe('billing fired in conversation c1: it is running now (started 2026-01-01T10:00:00.000000000Z, idle 4.2 s).');
  });

  it('failed: every session failed; names the error and the failed step', () => {
    const v = judge('billing', 'c1', {
      ...none,
      sessions: [session({ status: 'failed', error_type: 'ToolError', error_message: 'tests failed' })],
      failed_actions: [{ session_id: 's1', sequence: 2, action_type: 'tool_call', name: 'execute_tool charge', tool_name: 'charge', error_type: 'CardDeclined', error: 'no', started_at: 'T' }],
    });
    expect(v).toEqual({ verdict: 'failed', explanation: 'billing ran in conversation c1 but its only session ended failed: ToolError: tests failed; failed step: charge (CardDeclined).' });
  });

  it('skipped: a decision chose another option naming the agent', () => {
    const v = judge('billing', 'c1', {
      ...none, conversation_agents: [desk],
      decisions: [{ session_id: 'd', decided_by: 'desk', decision_type: 'route', question: 'who?', options: ['billing', 'tech'], chosen: 'tech', chose_agent: false, decided_at: 'T1' }],
    });
    expect(v).toEqual({ verdict: 'skipped', explanation: 'desk decided (route) at T1 to choose "tech" over billing; billing never ran in conversation c1.' });
  });

  it('skipped: a handover to the agent never produced a session', () => {
    const v = judge('billing', 'c1', { ...none, handovers: [{ message_type: 'delegate', from_agent: 'desk', from_session_id: 'd', to_session_id: '', sent_at: 'T2' }] });
    expect(v).toEqual({ verdict: 'skipped', explanation: 'desk handed work to billing (delegate) at T2, but no billing session followed in conversation c1.' });
  });

  it('never_invoked: says who ran instead and whether the agent ran elsewhere', () => {
    const v = judge('billing', 'c1', { ...none, conversation_agents: [desk], elsewhere: { days: 7, sessions: 3, completed: 3, last_started_at: 'T3', last_conversation: 'c9' } });
    expect(v).toEqual({
      verdict: 'never_invoked',
      explanation: 'billing was never invoked: nothing in conversation c1 asked for it; there desk ran once; billing ran 3 times elsewhere in the last 7 days, last at T3 (conversation c9).',
    });
  });

  it('never_invoked: an unknown conversation is said to be unknown', () => {
    const v = judge('billing', 'nope', { ...none, elsewhere: { days: 7, sessions: 0, completed: 0, last_started_at: null, last_conversation: null } });
    expect(v.explanation).toBe('billing was never invoked: no agent session is recorded for conversation nope at all (check the conversation id); billing did not run anywhere in the last 7 days.');
  });
});
