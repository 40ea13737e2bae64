import { describe, expect, it } from 'vitest';
import { buildTimeline } from './timeline.js';
import { testAction, testCommunication, testSession, testTransition } from './test-records.js';

const T = (s: string) => `2025-01-01T12:00:${s}000000Z`;

describe('buildTimeline', () => {
  it('merges every record by time, framed by start and end, with offsets and durations', () => {
    const session = testSession({ status: 'failed', error_type: 'Boom', error_message: 'it broke' });
    const timeline = buildTimeline({
      session,
      actions: [
        testAction(1, 100),
        testAction(2, 300, { status: 'failed', error_type: 'ToolError', error: 'no such file', action_type: 'tool_call', tool_name: 'read' }),
      ],
      transitions: [{ ...testTransition(1, '', 'thinking', T('00.100')), duration_ms: 200 }],
      decisions: [{
        decision_id: 'd', action_id: '', decision_type: 'route', question: 'which tool?', options: ['a', 'b'], chosen: 'b',
        chosen_index: 1, reasoning: '', confidence: 0.8, method: 'llm', decided_at: T('00.250'),
      }],
      communications: [testCommunication({ from_session_id: session.session_id, to_agent: 'helper', sent_at: T('00.600') })],
    });
    expect(timeline.map((i) => [i.kind, i.offset_ms, i.duration_ms])).toEqual([
      ['session_start', 0, null],
      ['transition', 100, 200],
      ['action', 100, 100],
      ['decision', 250, null],
      ['action', 300, 100],
      ['error', 400, null],
      ['message', 600, null],
      ['error', 1000, null],
      ['session_end', 1000, 1000],
    ]);
    expect(timeline[5]).toMatchObject({ kind: 'error', source: 'action', action_id: 'act2', error_type: 'ToolError', message: 'no such file' });
    expect(timeline[6]).toMatchObject({ kind: 'message', direction: 'out', to_agent: 'helper' });
    expect(timeline[7]).toMatchObject({ kind: 'error', source: 'session', message: 'it broke' });
  });

  it('has no end while the session runs', () => {
    const timeline = buildTimeline({ session: testSession({ status: 'running', ended_at: null }), actions: [], transitions: [], decisions: [], communications: [] });
    expect(timeline.map((i) => i.kind)).toEqual(['session_start']);
  });
});
