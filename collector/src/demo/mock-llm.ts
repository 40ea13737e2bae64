/**
 * A deterministic stand-in for a model API: canned answers with token counts, no network. The
 * demo fleet calls it through the tracker like a real client, so the spans carry real model names
 * the price table knows and agentflow computes real costs.
 */

/** One model request, reduced to what the mock needs. */
export interface MockLlmRequest {
  /** A model the price table knows, e.g. `gpt-4o-mini`, `claude-sonnet-4-5`. */
  model: string;
  /** Which canned answer to give (a key of {@link CANNED}). */
  purpose: CannedPurpose;
  /** The prompt text; its length sets the input token count. */
  prompt: string;
}

/** What the mock "returned". */
export interface MockLlmResponse {
  id: string;
  model: string;
  text: string;
  inputTokens: number;
  outputTokens: number;
  finishReason: string;
}

/** A rate-limited model call, like a provider SDK's HTTP 429 error (its class name is the span's `error.type`). */
export class RateLimitError extends Error {
  override readonly name = 'RateLimitError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Canned answers by purpose: the text and how many output tokens it "cost". */
const CANNED = {
  'plan-trip': { text: 'Split the request: flights, hotel and weather in parallel, then review.', outputTokens: 412 },
  'pick-flight-query': { text: 'search_flights(from=BER, to=LIS, date=2026-05-12, passengers=2)', outputTokens: 58 },
  'summarise-flight': { text: 'Booked TP 539, BER 07:05 → LIS 09:45, 2 passengers, EUR 342.', outputTokens: 96 },
  'pick-hotel': { text: 'Casa do Largo, Alfama: 4.7 stars, EUR 148 a night, free cancellation.', outputTokens: 131 },
  'summarise-weather': { text: 'Mostly sunny, 19–23 °C, a 30% chance of showers on day 2.', outputTokens: 74 },
  'review-itinerary': { text: 'Fly TP 539 on 12 May, 3 nights at Casa do Largo, pack a light rain jacket.', outputTokens: 655 },
} as const satisfies Record<string, { text: string; outputTokens: number }>;

/** The purposes the mock has answers for. */
export type CannedPurpose = keyof typeof CANNED;

/** Tokens a prompt of this length "uses", about four characters a token, plus a fixed system prompt. */
function promptTokens(prompt: string): number {
  return 180 + Math.ceil(prompt.length / 4);
}

/** Options of {@link createMockLlm}. */
export interface MockLlmOptions {
  /** Purposes whose first call fails with a 429, as a rate-limited provider would. */
  failFirstCall?: readonly CannedPurpose[];
}

/** The mock client: `complete` answers from the canned table, failing where it was told to. */
export interface MockLlm {
  complete(request: MockLlmRequest): MockLlmResponse;
}

/** Creates a mock model client; responses and ids depend only on the sequence of requests. */
export function createMockLlm(options: MockLlmOptions = {}): MockLlm {
  const failing = new Set<CannedPurpose>(options.failFirstCall ?? []);
  let calls = 0;
  return {
    complete(request) {
      calls += 1;
      if (failing.delete(request.purpose)) {
        throw new RateLimitError(429, `429 Rate limit reached for ${request.model}: retry after 1s`);
      }
      const canned = CANNED[request.purpose];
      return {
        id: `mock-${request.purpose}-${calls}`,
        model: request.model,
        text: canned.text,
        inputTokens: promptTokens(request.prompt),
        outputTokens: canned.outputTokens,
        finishReason: 'stop',
      };
    },
  };
}
