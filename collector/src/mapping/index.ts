export { toCanonicalSpan } from './to-canonical-span.js';
export type {
  CanonicalSpan, SpanCategory, TokenUsage, StateChange, Decision, AgentMessage, RequestedToolCall,
} from './canonical-span.js';
