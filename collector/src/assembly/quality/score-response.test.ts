import { describe, expect, it } from 'vitest';
import { canonicalSpan } from '../test-spans.js';
import { scoreResponse } from './score-response.js';

describe('scoreResponse', () => {
  const call = (outputContent: string, responseFormat = '') => canonicalSpan({ spanId: 'c'.repeat(16), category: 'llm', outputContent, responseFormat });

  it('judges only model calls with captured output', () => {
    expect(scoreResponse(call(''), 'llm_call')).toBeNull();
    expect(scoreResponse(call('Some tool result that is long enough here.'), 'tool_call')).toBeNull();
    expect(scoreResponse(call('Paris is the capital of France.'), 'llm_call')).toMatchObject({ score: 1 });
  });

  it('holds prose to JSON when the call asked for JSON (responseFormat json)', () => {
    const prose = 'Sure! The city is Paris and the country is France.';
    expect(scoreResponse(call(prose, 'json'), 'llm_call')?.issues).toEqual(['invalid_json']);
    expect(scoreResponse(call(prose, 'text'), 'llm_call')?.issues).toEqual([]);
    expect(scoreResponse(call('{"city":"Paris"}', 'json'), 'llm_call')?.issues).toEqual([]);
  });
});
