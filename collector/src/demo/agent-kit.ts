import type { AgentSession } from '@agentflow/instrumentation';
import type { CannedPurpose, MockLlm, MockLlmResponse } from './mock-llm.js';

/**
 * Simulated latency: every wait of the script is a nominal duration times `scale`, so the whole
 * fleet can be stretched to fill `--duration` or squeezed for a test.
 */
export interface Pace {
  readonly scale: number;
  /** Resolves after `nominalMs × scale` milliseconds. */
  sleep(nominalMs: number): Promise<void>;
}

/** A pace that stretches nominal waits by `scale` (0 runs the script as fast as it can). */
export function createPace(scale: number): Pace {
  return {
    scale,
    sleep: (nominalMs) => new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.round(nominalMs * scale)))),
  };
}

/** What an agent needs to act: the mock model and the pace of the simulation. */
export interface AgentKit {
  llm: MockLlm;
  pace: Pace;
}

/** A model call as the demo agents make it. */
export interface AskOptions {
  model: string;
  purpose: CannedPurpose;
  prompt: string;
  /** Nominal latency of the call in milliseconds. */
  latencyMs: number;
  temperature?: number;
}

/** The provider a model name belongs to, as `gen_ai.provider.name` spells it. */
function providerOf(model: string): string {
  return model.startsWith('claude') ? 'anthropic' : 'openai';
}

/**
 * Calls the mock model inside an LLM span of `session` and reports the response (model, id,
 * tokens, finish reason, content). A failure of the mock is recorded on the span and rethrown.
 */
export function ask(kit: AgentKit, session: AgentSession, options: AskOptions): Promise<MockLlmResponse> {
  const inputMessages = [{ role: 'user', parts: [{ type: 'text', content: options.prompt }] }];
  return session.llm(
    { model: options.model, provider: providerOf(options.model), temperature: options.temperature ?? 0.2, maxTokens: 1024, inputMessages },
    async (call) => {
      await kit.pace.sleep(options.latencyMs);
      const response = kit.llm.complete({ model: options.model, purpose: options.purpose, prompt: options.prompt });
      call.report({
        responseModel: response.model,
        responseId: response.id,
        inputTokens: response.inputTokens,
        outputTokens: response.outputTokens,
        finishReasons: [response.finishReason],
        outputMessages: [{ role: 'assistant', parts: [{ type: 'text', content: response.text }], finish_reason: response.finishReason }],
      });
      return response;
    },
  );
}

/** A tool call as the demo agents make it: an `execute_tool` span around a canned result. */
export function useTool<T>(
  kit: AgentKit, session: AgentSession, options: { name: string; callId: string; args: unknown; latencyMs: number }, result: () => T,
): Promise<T> {
  return session.tool({ name: options.name, callId: options.callId, type: 'function', args: options.args }, async () => {
    await kit.pace.sleep(options.latencyMs);
    return result();
  });
}
