/**
 * What the answer checks cost on the ingest path: microseconds per scored model call, for the
 * output shapes the dialects store (plain text, GenAI output messages, an OpenAI completion, a
 * LangChain LLMResult) and sizes (a sentence, a page, a 5,000-word essay, a JSON answer).
 *
 *   npm run build && node collector/dist-bench/quality-bench.js
 */
import { scoreResponse } from '../dist/assembly/quality/index.js';
import type { CanonicalSpan } from '../dist/mapping/index.js';

const sentence = 'The capital of France is Paris, which has been the seat of government for centuries.';
const page = `${sentence} `.repeat(30);
const essay = 'word '.repeat(5_000);
const messages = (text: string) => JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: text }], finish_reason: 'stop' }]);
const CASES: [string, string][] = [
  ['text, one sentence', sentence],
  ['text, refusal', "I'm sorry, but I can't help with that request."],
  ['GenAI messages, one sentence', messages(sentence)],
  ['GenAI messages, a page (~450 words)', messages(page)],
  ['OpenAI completion, a page', JSON.stringify({ id: 'c', choices: [{ index: 0, message: { role: 'assistant', content: page } }] })],
  ['LangChain LLMResult, one sentence', JSON.stringify({ generations: [[{ text: sentence, message: { lc: 1, kwargs: { content: sentence } } }]] })],
  ['JSON answer (~2 KB)', JSON.stringify({ items: Array.from({ length: 40 }, (_, i) => ({ id: i, name: `item-${i}`, ok: true })) })],
  ['text, 5,000 words', essay],
];

const ITERATIONS = 20_000;
for (const [name, output] of CASES) {
  // The checks read only the output and the requested format.
  const span = { outputContent: output, responseFormat: '' } as CanonicalSpan;
  for (let i = 0; i < 2_000; i++) scoreResponse(span, 'llm_call'); // warm up
  const n = output.length > 10_000 ? ITERATIONS / 10 : ITERATIONS;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) scoreResponse(span, 'llm_call');
  const us = Number(process.hrtime.bigint() - start) / 1_000 / n;
  process.stdout.write(`${name.padEnd(40)} ${String(output.length).padStart(7)} chars  ${us.toFixed(2).padStart(7)} µs/call\n`);
}
