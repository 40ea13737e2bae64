import { describe, expect, it } from 'vitest';
import { assistantText } from './assistant-text.js';
import { checkAnswer, DEFAULT_QUALITY_OPTIONS, type QualityCheckName } from './checks.js';

const GOOD = 'The capital of France is Paris, which has been the seat of government for centuries.';

function failed(output: string, jsonRequested = false): QualityCheckName[] {
  const verdict = checkAnswer(output, jsonRequested);
  if (!verdict) throw new Error('no verdict');
  return verdict.issues;
}

describe('assistantText', () => {
  it('reads plain text as is', () => {
    expect(assistantText('Hello there')).toEqual({ text: 'Hello there', toolCallsOnly: false, validJson: false });
  });
  it('reads the assistant text parts of GenAI output messages', () => {
    const out = JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Hi' }, { type: 'text', content: 'there' }], finish_reason: 'stop' }]);
    expect(assistantText(out).text).toBe('Hi\nthere');
  });
  it('reads an OpenAI chat completion', () => {
    const out = JSON.stringify({ id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'From OpenAI' } }] });
    expect(assistantText(out).text).toBe('From OpenAI');
  });
  it('reads an Anthropic message', () => {
    const out = JSON.stringify({ id: 'm', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'From Claude' }] });
    expect(assistantText(out).text).toBe('From Claude');
  });
  it('reads an OpenAI Responses output', () => {
    const out = JSON.stringify({ object: 'response', output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Responses' }] }] });
    expect(assistantText(out).text).toBe('Responses');
  });
  it('marks an output that only calls tools', () => {
    const out = JSON.stringify([{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: {} }] }]);
    expect(assistantText(out)).toEqual({ text: '', toolCallsOnly: true, validJson: false });
  });
  it('keeps a JSON answer that is not a message as the answer itself', () => {
    expect(assistantText('{"city":"Paris"}').text).toBe('{"city":"Paris"}');
  });
});

describe('checkAnswer', () => {
  it('passes a good answer with score 1', () => {
    expect(checkAnswer(GOOD)).toMatchObject({ score: 1, issues: [] });
  });
  it('fails an empty answer with score 0, and runs no other check on it', () => {
    const verdict = checkAnswer('   ');
    expect(verdict).toMatchObject({ score: 0, issues: ['empty'] });
    expect(verdict?.results).toHaveLength(1);
  });
  it('fails an empty assistant message inside GenAI output messages', () => {
    expect(failed(JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: '' }] }]))).toEqual(['empty']);
  });
  it('returns no verdict for an output that only calls tools', () => {
    expect(checkAnswer(JSON.stringify({ choices: [{ message: { role: 'assistant', content: null, tool_calls: [{ id: 'c' }] } }] }))).toBeNull();
  });
  it.each([
    'Error: the upstream model returned 500 for this request, please retry later.',
    'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nValueError: bad input here',
    'Rate limit exceeded for this organisation, please try again in 20 seconds.',
    'Sorry, an unexpected error occurred while generating the answer for you.',
  ])('fails an error passed off as an answer: %s', (output) => {
    expect(failed(output)).toContain('error_pattern');
  });
  it('does not take an answer about errors or rate limits for an error', () => {
    expect(failed('To handle errors in Python, wrap the call in try and except blocks and log them.')).toEqual([]);
    expect(failed('The API has a rate limit of 100 requests per minute for each key.')).toEqual([]);
  });
  it.each([
    ['English', "I'm sorry, but I can't help with that request."],
    ['English', 'I am unable to provide instructions for that.'],
    ['English', 'As an AI language model, I cannot give medical advice here.'],
    ['Spanish', 'Lo siento, pero no puedo ayudarte con esa solicitud.'],
    ['French', 'Désolé, mais je ne peux pas vous aider avec cette demande.'],
    ['German', 'Es tut mir leid, aber ich kann Ihnen dabei nicht helfen.'],
    ['Portuguese', 'Desculpe, mas não posso ajudar com esse pedido.'],
    ['Italian', 'Mi dispiace, ma non posso aiutarti con questa richiesta.'],
  ])('fails a refusal in %s and scores it under 0.7', (_language, output) => {
    const verdict = checkAnswer(output);
    expect(verdict?.issues).toContain('refusal');
    expect(verdict?.score).toBeLessThan(DEFAULT_QUALITY_OPTIONS.poorThreshold);
  });
  it.each([
    ['Spanish', 'La capital de Francia es París, una ciudad con mucha historia.'],
    ['French', 'La capitale de la France est Paris, une ville très ancienne.'],
    ['German', 'Die Hauptstadt von Frankreich ist Paris, eine sehr alte Stadt.'],
  ])('passes an ordinary answer in %s', (_language, output) => {
    expect(failed(output)).toEqual([]);
  });
  it('fails a too short answer, and scores one soft failure above the threshold', () => {
    const verdict = checkAnswer('Paris.');
    expect(verdict?.issues).toEqual(['too_short']);
    expect(verdict?.score).toBeCloseTo(5 / 6); // empty, error_pattern, refusal, too_long, self_correction passed
  });
  it('fails a too long answer', () => {
    expect(failed('word '.repeat(5_001))).toEqual(['too_long']);
    expect(failed('word '.repeat(5_000))).toEqual([]);
  });
  it('fails invalid JSON when JSON was requested', () => {
    expect(failed('Here is the JSON you asked for: {"a": 1', true)).toEqual(['invalid_json']);
    expect(failed('{"a": 1}', true)).toEqual([]);
  });
  it('fails an answer meant as JSON that does not parse, and skips word counts on JSON', () => {
    expect(failed('{"city": "Paris", "country": ')).toEqual(['invalid_json']);
    expect(failed('```json\n{"city": "Paris",}\n```')).toEqual(['invalid_json']);
    expect(failed('```json\n{"city": "Paris"}\n```')).toEqual([]);
    expect(failed('[1, 2]')).toEqual([]);
  });
  it.each([
    'I apologize, I made a mistake in the previous calculation: the total is 42 apples.',
    'Let me correct that: the meeting is on Tuesday at ten in the morning.',
    'Actually, the capital of Australia is Canberra, not Sydney as many people think.',
  ])('fails a self-correction: %s', (output) => {
    expect(failed(output)).toEqual(['self_correction']);
  });
  it('names what it found in the reason', () => {
    const refusal = checkAnswer("I can't help with that. Please ask something else.")?.results.find((r) => r.check === 'refusal');
    expect(refusal).toEqual({ check: 'refusal', passed: false, reason: '"I can\'t help with that"' });
  });
  it('applies the configured word bounds and leaves disabled checks out of the score', () => {
    const options = { ...DEFAULT_QUALITY_OPTIONS, minWords: 20, disabled: new Set<QualityCheckName>(['self_correction']) };
    const verdict = checkAnswer('Actually, that is fine.', false, options);
    expect(verdict?.issues).toEqual(['too_short']);
    expect(verdict?.results.map((r) => r.check)).not.toContain('self_correction');
  });
});
