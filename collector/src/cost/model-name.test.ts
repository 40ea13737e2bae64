import { describe, expect, it } from 'vitest';
import { bedrockEndpointOf, normaliseModelName, normaliseProvider } from './model-name.js';

describe('normaliseModelName', () => {
  it.each([
    ['gpt-4o', 'gpt-4o'],
    ['GPT-4o', 'gpt-4o'],
    ['openai/gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['o3-2025-04-16', 'o3'],
    ['gpt-5-chat-latest', 'gpt-5-chat'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['anthropic/claude-sonnet-4.5', 'claude-sonnet-4.5'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['eu.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5'],
    ['apac.anthropic.claude-3-5-sonnet-20241022-v2:0', 'claude-3-5-sonnet'],
    ['global.anthropic.claude-opus-4-5-20251101-v1:0', 'claude-opus-4-5'],
    ['anthropic.claude-3-haiku-20240307-v1:0:200k', 'claude-3-haiku'],
    ['bedrock/us.amazon.nova-pro-v1:0', 'nova-pro'],
    [
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'claude-sonnet-4-5',
    ],
    ['mistral.mistral-large-2407-v1:0', 'mistral-large-2407'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    ['vertex_ai/claude-opus-4-1@20250805', 'claude-opus-4-1'],
    ['models/gemini-2.5-pro', 'gemini-2.5-pro'],
    ['projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['google/gemini-2.0-flash-001', 'gemini-2.0-flash-001'],
    ['mistral-large-latest', 'mistral-large'],
    ['mistral-large-2411', 'mistral-large-2411'],
    ['grok-4-0709', 'grok-4-0709'],
    ['xai/grok-3-mini-latest', 'grok-3-mini'],
    ['deepseek/deepseek-chat', 'deepseek-chat'],
    ['  ', ''],
  ])('%s → %s', (raw, normalised) => {
    expect(normaliseModelName(raw)).toBe(normalised);
  });
});

describe('bedrockEndpointOf', () => {
  it('reads the endpoint from a Bedrock id, and null from any other name', () => {
    expect(bedrockEndpointOf('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe('regional');
    expect(bedrockEndpointOf('anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe('regional');
    expect(bedrockEndpointOf('global.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe('global');
    expect(bedrockEndpointOf('bedrock/global.anthropic.claude-haiku-4-5-20251001-v1:0')).toBe('global');
    expect(bedrockEndpointOf('claude-sonnet-4-5@20250929')).toBeNull();
    expect(bedrockEndpointOf('gpt-4.1')).toBeNull();
  });
});

describe('normaliseProvider', () => {
  it.each([
    ['openai', 'openai'],
    ['OpenAI', 'openai'],
    ['openai.chat', 'openai'],
    ['openai.responses', 'openai'],
    ['anthropic.messages', 'anthropic'],
    ['aws.bedrock', 'aws.bedrock'],
    ['amazon-bedrock', 'aws.bedrock'],
    ['gcp.vertex_ai', 'gcp.vertex_ai'],
    ['vertex_ai', 'gcp.vertex_ai'],
    ['google.vertex.chat', 'gcp.vertex_ai'],
    ['google.generative-ai', 'gcp.gemini'],
    ['gemini', 'gcp.gemini'],
    ['mistral_ai', 'mistral_ai'],
    ['mistral.chat', 'mistral_ai'],
    ['mistralai', 'mistral_ai'],
    ['xai', 'x_ai'],
    ['xai.chat', 'x_ai'],
    ['deepseek.chat', 'deepseek'],
    ['azure.ai.openai', 'azure.ai.openai'],
    ['groq', 'groq'],
    ['', ''],
  ])('%s → %s', (raw, normalised) => {
    expect(normaliseProvider(raw)).toBe(normalised);
  });
});
