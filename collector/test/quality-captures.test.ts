import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { actionTypeOf } from '../src/assembly/derive-actions.js';
import { assistantText, scoreResponse } from '../src/assembly/quality/index.js';
import { toCanonicalSpan } from '../src/mapping/index.js';
import { decodeTracesProto } from '../src/receiver/otlp/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The model calls of a captured body that carry their output, with the verdict on each. */
function scored(path: string) {
  const spans = decodeTracesProto(readFileSync(join(HERE, path)), 'default').rows.map(toCanonicalSpan);
  return spans
    .filter((s) => actionTypeOf(s) === 'llm_call' && s.outputContent !== '')
    .sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1))
    .map((s) => ({ text: assistantText(s.outputContent).text, verdict: scoreResponse(s, 'llm_call') }));
}

/**
 * Real captures with content: LangChain's model calls first ask for a tool (no text: not judged),
 * then answer (judged, and good). Both instrumentations of the same agent read the same answer.
 */
describe.each([
  ['OpenInference (LangChain LLMResult in output.value)', 'fixtures/langchain-openinference'],
  ['OpenLLMetry (gen_ai.output.messages)', 'captures/langchain-openllmetry'],
])('captured content: %s', (_name, dir) => {
  it('streaming-agent: the tool request is not judged, the answer passes every check', () => {
    const calls = scored(`${dir}/streaming-agent.pb`);
    expect(calls.map((c) => c.verdict?.score ?? null)).toEqual([null, 1]);
    expect(calls[1]?.text).toBe('Lisbon: sunny, high of 24°C.');
  });

  it('tool-error: an apology for a failed booking is neither a refusal nor an error message', () => {
    const calls = scored(`${dir}/tool-error.pb`);
    const answer = calls.at(-1);
    expect(answer?.text).toMatch(/^Sorry, the booking failed because the seat map changed/);
    expect(answer?.verdict).toMatchObject({ score: 1, issues: [] });
  });
});
