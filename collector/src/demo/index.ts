export { runDemo, DEFAULT_DEMO_DURATION_S } from './run-demo.js';
export type { DemoOptions, DemoResult } from './run-demo.js';
export { demoCommand, parseDemoDuration } from './demo-command.js';
export { createMockLlm, RateLimitError } from './mock-llm.js';
export type { MockLlm, MockLlmOptions, MockLlmRequest, MockLlmResponse } from './mock-llm.js';
