import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_PRICES, type AnomalyRow } from '@agentflow/schemas';
import { describe, expect, it } from 'vitest';
import { canonicalSpan } from '../../assembly/test-spans.js';
import { createPriceBook, createSpanCostResolver } from '../../cost/index.js';
import type { CanonicalSpan } from '../../mapping/canonical-span.js';
import { FIXTURES, ofCategory, type Expectation } from '../../mapping/test-fixture-support.js';
import { toCanonicalSpan } from '../../mapping/to-canonical-span.js';
import { decodeTracesProto } from '../../receiver/otlp/index.js';
import { deriveTraceParts } from '../../assembly/derive.js';
import { detectTrace } from './detect-trace.js';
import { createSettingsFor, DETECTION_FILE_SCHEMA } from './settings.js';
import { DEFAULT_QUALITY_OPTIONS } from '../../assembly/quality/index.js';

const costOf = createSpanCostResolver(createPriceBook(MODEL_PRICES.entries));
const defaults = createSettingsFor(undefined);
const withFile = (file: unknown) => createSettingsFor(DETECTION_FILE_SCHEMA.parse(file));

/** A captured OTLP body, decoded and mapped as the receiver does it. */
function capture(scenario: string): CanonicalSpan[] {
  const result = decodeTracesProto(readFileSync(join(FIXTURES, `${scenario}.pb`)), 'default');
  expect(result.errors).toEqual([]);
  return result.rows.map(toCanonicalSpan);
}

const expectation = (scenario: string) => JSON.parse(readFileSync(join(FIXTURES, `${scenario}.expect.json`), 'utf8')) as Expectation;
const ofKind = (anomalies: AnomalyRow[], kind: AnomalyRow['kind']) => anomalies.filter((a) => a.kind === kind);
const only = <T>(items: T[]): T => {
  expect(items).toHaveLength(1);
  return items[0] as T;
};

describe('otel-genai/tool-loop-8x: deploy_watcher checks one deployment eight times', () => {
  const spans = capture('otel-genai/tool-loop-8x');
  const agent = only(ofCategory(spans, 'agent'));
  const checks = ofCategory(spans, 'tool');
  const { anomalies, sessions } = detectTrace(spans, false, costOf, defaults);

  it('holds eight identical status checks that all answered pending', () => {
    expect(checks.map((c) => [c.toolName, c.inputContent, c.outputContent])).toEqual(Array(8).fill(['check_deploy_status', '{"deployment_id":"dep-42"}', '{"status":"pending"}']));
  });

  it('is a critical repeated call with the eight checks as evidence', () => {
    const loop = only(ofKind(anomalies, 'loop.repeat_call'));
    expect(loop).toMatchObject({
      sessionId: agent.spanId, traceId: agent.traceId, agentName: 'deploy_watcher', severity: 'critical', count: 8,
      evidence: checks.map((c) => c.spanId),
      detectedAt: checks[2]!.endTimeUnixNano, lastSeenAt: checks[7]!.endTimeUnixNano,
    });
  });

  it('repeats as often as the fixture\'s expectation says', () => {
    const [loop] = expectation('otel-genai/tool-loop-8x').loops ?? [];
    expect(only(ofKind(anomalies, 'loop.repeat_call')).count).toBe(loop?.repeats);
  });

  it('is also no progress, detected at the fifth unchanged result', () => {
    expect(only(ofKind(anomalies, 'loop.no_progress'))).toMatchObject({
      sessionId: agent.spanId, severity: 'warning', count: 8, evidence: checks.map((c) => c.spanId), detectedAt: checks[4]!.endTimeUnixNano,
    });
  });

  it('finds nothing else', () => {
    expect(anomalies.map((a) => a.kind).sort()).toEqual(['loop.no_progress', 'loop.repeat_call']);
  });

  it('resolves every anomaly at the session\'s end once the agent span has ended', () => {
    expect(anomalies.map((a) => a.resolvedAt)).toEqual([agent.endTimeUnixNano, agent.endTimeUnixNano]);
  });

  it('reports the session\'s usage', () => {
    expect(only(sessions)).toMatchObject({
      sessionId: agent.spanId, agentName: 'deploy_watcher', running: false,
      usage: { llmCalls: 9, toolCalls: 8, steps: 17, tokens: 4480 + 169 },
    });
  });

  it('gives the same rows on every pass', () => {
    expect(detectTrace(spans, false, costOf, defaults)).toEqual(detectTrace(spans, false, costOf, defaults));
  });
});

describe('otel-genai/tool-loop-8x while the agent is still running', () => {
  const spans = capture('otel-genai/tool-loop-8x');
  const agent = only(ofCategory(spans, 'agent'));
  const checks = ofCategory(spans, 'tool');
  const final = detectTrace(spans, false, costOf, defaults);
  const arrived = spans.filter((s) => s !== agent);
  const running = detectTrace(arrived, true, costOf, defaults);

  it('finds the same anomalies, under the same ids, before the agent span arrives', () => {
    expect(running.anomalies.map((a) => [a.anomalyId, a.kind, a.severity, a.count])).toEqual(final.anomalies.map((a) => [a.anomalyId, a.kind, a.severity, a.count]));
  });

  it('files them under the session id the agent span will have', () => {
    expect(running.anomalies.map((a) => a.sessionId)).toEqual([agent.spanId, agent.spanId]);
  });

  it('leaves them unresolved while the session is open', () => {
    expect(running.anomalies.map((a) => a.resolvedAt)).toEqual([null, null]);
  });

  it('reports the session as running', () => {
    expect(only(running.sessions)).toMatchObject({ sessionId: agent.spanId, running: true });
  });

  it('does not treat the trace as running without `running`', () => {
    const ended = detectTrace(arrived, false, costOf, defaults);
    expect(ended.anomalies.map((a) => a.sessionId)).not.toContain(agent.spanId);
  });

  it('keeps an anomaly\'s id as the loop grows, warning at the third check and critical at the fifth', () => {
    const upTo = (n: number) => {
      const cut = checks[n - 1]!.endTimeUnixNano;
      const repeat = detectTrace(arrived.filter((s) => s.endTimeUnixNano <= cut), true, costOf, defaults).anomalies.filter((a) => a.kind === 'loop.repeat_call');
      return repeat.map((a) => [a.anomalyId, a.severity, a.count]);
    };
    const id = only(ofKind(final.anomalies, 'loop.repeat_call')).anomalyId;
    expect(upTo(2)).toEqual([]);
    expect(upTo(3)).toEqual([[id, 'warning', 3]]);
    expect(upTo(5)).toEqual([[id, 'critical', 5]]);
  });
});

describe('otel-genai/tool-loop-8x with budgets', () => {
  const spans = capture('otel-genai/tool-loop-8x');
  const agent = only(ofCategory(spans, 'agent'));
  const checks = ofCategory(spans, 'tool');
  const calls = ofCategory(spans, 'llm');

  it('flags the tool-call budget at the sixth check', () => {
    const { anomalies } = detectTrace(spans, false, costOf, withFile({ budgets: { tool_calls: 5 } }));
    expect(only(ofKind(anomalies, 'budget.tool_calls'))).toMatchObject({
      sessionId: agent.spanId, severity: 'critical', evidence: [checks[5]!.spanId], count: 3, detectedAt: checks[5]!.endTimeUnixNano, resolvedAt: agent.endTimeUnixNano,
    });
  });

  it('flags the token budget at the model call that went over it', () => {
    // 260+18, 320+18, 380+18 tokens: the third call takes the session past 1,000.
    const { anomalies } = detectTrace(spans, false, costOf, withFile({ budgets: { tokens: 1000 } }));
    expect(only(ofKind(anomalies, 'budget.tokens'))).toMatchObject({ evidence: [calls[2]!.spanId], detectedAt: calls[2]!.endTimeUnixNano, count: 4649 - 1000 });
  });

  it('flags the cost budget at the model call that went over it', () => {
    const perCall = calls.map((c) => costOf(c).costUsd);
    expect(perCall.every((c) => c > 0)).toBe(true);
    const limit = perCall[0]! + perCall[1]! / 2;
    const { anomalies } = detectTrace(spans, false, costOf, withFile({ budgets: { cost_usd: limit } }));
    expect(only(ofKind(anomalies, 'budget.cost')).evidence).toEqual([calls[1]!.spanId]);
  });

  it('applies a budget set for this agent only', () => {
    const forAgent = (agent: string) => withFile({ overrides: [{ match: { agent }, budgets: { llm_calls: 3 } }] });
    expect(ofKind(detectTrace(spans, false, costOf, forAgent('deploy_watcher')).anomalies, 'budget.llm_calls')).toHaveLength(1);
    expect(ofKind(detectTrace(spans, false, costOf, forAgent('someone_else')).anomalies, 'budget.llm_calls')).toHaveLength(0);
  });

  it('treats a configured polling tool as polling', () => {
    const polling = withFile({ loops: { polling_tools: ['check_deploy_status'] } });
    expect(detectTrace(spans, false, costOf, polling).anomalies).toEqual([]);
  });
});

describe('openai-agents/parallel-tools-loop: two parallel searches, a fetch, an answer', () => {
  const scenario = 'openai-agents/parallel-tools-loop';
  const spans = capture(scenario);
  const tools = ofCategory(spans, 'tool');
  const searches = tools.filter((t) => t.toolName === 'search_web');
  /** As sensitive as the rules can be: two of anything is a pattern. */
  const sensitive = withFile({ loops: { repeat_warning: 2, window_repeats: 2, no_progress_repeats: 2, ping_pong_repeats: 2, repeated_outputs: 2 } });

  it('holds two searches started together with different queries, then a fetch', () => {
    expect(tools.map((t) => t.toolName)).toEqual(['search_web', 'search_web', 'fetch_page']);
    expect(searches[0]!.startTimeUnixNano).toBe(searches[1]!.startTimeUnixNano);
    expect(searches.map((s) => s.inputContent)).toEqual(['{"query":"OTLP HTTP"}', '{"query":"OTLP gRPC"}']);
    expect(expectation(scenario).tool_calls.map((c) => c.name)).toEqual(['search_web', 'search_web', 'fetch_page']);
  });

  it('is not a loop', () => {
    expect(detectTrace(spans, false, costOf, defaults).anomalies).toEqual([]);
  });

  it('is not a loop even at the most sensitive thresholds: the parallel searches differ in their arguments', () => {
    expect(detectTrace(spans, false, costOf, sensitive).anomalies).toEqual([]);
  });

  it('would be a repeated call at those thresholds had both searches asked the same', () => {
    const same = spans.map((s) => (s === searches[1] ? { ...s, inputContent: searches[0]!.inputContent } : s));
    expect(detectTrace(same, false, costOf, sensitive).anomalies.map((a) => [a.kind, a.evidence])).toEqual([
      ['loop.repeat_call', searches.map((s) => s.spanId)],
    ]);
  });
});

describe('otel-genai/single-agent-tools: a plain agent run', () => {
  it('has no loop', () => {
    const spans = capture('otel-genai/single-agent-tools');
    expect(ofCategory(spans, 'tool').length).toBeGreaterThan(0);
    expect(detectTrace(spans, false, costOf, defaults).anomalies).toEqual([]);
  });
});

describe('control passing between agents', () => {
  /** An orchestrator that hands work to writer and critic in turn, as agents-as-tools frameworks nest them. */
  function delegation(children: string[]): CanonicalSpan[] {
    const ms = (n: number) => BigInt(n) * 1_000_000n;
    const root = canonicalSpan({ spanId: 'orchestrator', category: 'agent', agentName: 'orchestrator', startTimeUnixNano: ms(0), endTimeUnixNano: ms(100) });
    return [root, ...children.map((agentName, i) => canonicalSpan({
      spanId: `child${i + 1}`, parentSpanId: 'orchestrator', category: 'agent', agentName, startTimeUnixNano: ms(10 * i + 1), endTimeUnixNano: ms(10 * i + 9),
    }))];
  }

  it('is ping-pong when a lone top-level agent delegates to writer and critic in turn three times (regression: only sibling top-level agents were read)', () => {
    const { anomalies } = detectTrace(delegation(['writer', 'critic', 'writer', 'critic', 'writer', 'critic']), false, costOf, defaults);
    expect(anomalies.map((a) => [a.kind, a.sessionId, a.count, a.evidence])).toEqual([
      ['loop.ping_pong', 'orchestrator', 3, ['child1', 'child2', 'child3', 'child4', 'child5', 'child6']],
    ]);
  });

  it('is not ping-pong when each agent is asked once', () => {
    expect(detectTrace(delegation(['researcher', 'writer', 'critic']), false, costOf, defaults).anomalies).toEqual([]);
  });

  it('is ping-pong between top-level agents that hand control to each other', () => {
    const ms = (n: number) => BigInt(n) * 1_000_000n;
    const spans = ['triage', 'billing', 'triage', 'billing', 'triage', 'billing'].map((agentName, i) => canonicalSpan({
      spanId: `hop${i + 1}`, category: 'agent', agentName, startTimeUnixNano: ms(10 * i), endTimeUnixNano: ms(10 * i + 9),
    }));
    expect(detectTrace(spans, false, costOf, defaults).anomalies.map((a) => [a.kind, a.sessionId, a.count])).toEqual([['loop.ping_pong', 'hop1', 3]]);
  });
});

describe('detection after derivation', () => {
  it('finds the same anomalies from the session tree and priced actions derivation passes on', () => {
    for (const scenario of ['otel-genai/tool-loop-8x', 'openai-agents/parallel-tools-loop', 'otel-genai/single-agent-tools']) {
      const spans = capture(scenario);
      const derived = deriveTraceParts(spans, costOf, 1n);
      const budgets = withFile({ budgets: { tool_calls: 2, tokens: 10 } });
      expect(detectTrace(spans, false, costOf, budgets, derived)).toEqual(detectTrace(spans, false, costOf, budgets));
    }
  });
});

describe('quality.poor_response: one warning per model call whose answer scores under the threshold', () => {
  const ms = (n: number) => 1_000_000_000n + BigInt(n) * 1_000_000n;
  const agent = canonicalSpan({ spanId: 'agent', category: 'agent', agentName: 'helper', startTimeUnixNano: ms(0), endTimeUnixNano: ms(100) });
  const call = (spanId: string, outputContent: string, at: number) => canonicalSpan({
    spanId, parentSpanId: 'agent', category: 'llm', requestModel: 'gpt-4o-mini', outputContent, startTimeUnixNano: ms(at), endTimeUnixNano: ms(at + 10),
  });
  const refused = call('refused', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: "I can't help with that." }] }]), 10);
  const spans = [agent, refused, call('short', 'Paris.', 30), call('good', 'The capital of France is Paris, on the Seine.', 50)];

  it('raises it for the refusal only, its evidence the call, its detail the phrase', () => {
    const { anomalies } = detectTrace(spans, false, costOf, defaults);
    expect(only(ofKind(anomalies, 'quality.poor_response'))).toMatchObject({
      sessionId: 'agent', agentName: 'helper', severity: 'warning', count: 1, evidence: ['refused'],
      detail: 'gpt-4o-mini answer refused: "I can\'t help with that" (score 0.42)', detectedAt: ms(20), resolvedAt: ms(20),
    });
  });

  it('finds the same from derived actions as from the spans, with the same id', () => {
    const fromSpans = ofKind(detectTrace(spans, false, costOf, defaults).anomalies, 'quality.poor_response');
    const derived = deriveTraceParts(spans, costOf, 1n);
    expect(derived.rows.actions.find((a) => a.actionId === 'refused')).toMatchObject({ qualityIssues: ['refusal'] });
    expect(ofKind(detectTrace(spans, false, costOf, defaults, derived).anomalies, 'quality.poor_response')).toEqual(fromSpans);
  });

  it('follows the configured threshold: a short answer is poor under 0.9', () => {
    const strict = { ...DEFAULT_QUALITY_OPTIONS, poorThreshold: 0.9 };
    const { anomalies } = detectTrace(spans, false, costOf, defaults, undefined, undefined, strict);
    expect(ofKind(anomalies, 'quality.poor_response').map((a) => a.evidence[0])).toEqual(['refused', 'short']);
  });
});
