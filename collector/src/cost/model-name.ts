/**
 * Model and provider names as emitters send them → the forms the price table matches on.
 * `us.anthropic.claude-sonnet-4-5-20250929-v1:0`, `claude-sonnet-4-5@20250929` and
 * `anthropic/claude-sonnet-4-5` all normalise to `claude-sonnet-4-5`.
 */

/** Geographic prefixes of Bedrock cross-Region inference profiles (`us.anthropic.…`). */
const BEDROCK_GEO = '(?:us|eu|apac|ap|jp|au|ca|us-gov|global)';
/** Vendor prefixes of Bedrock model ids (`anthropic.claude-…`, `amazon.nova-…`). */
const BEDROCK_VENDOR =
  '(?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|openai|qwen|writer|google|minimax|moonshot|nvidia|xai)';
const BEDROCK_ID = new RegExp(`^(?:(${BEDROCK_GEO})\\.)?${BEDROCK_VENDOR}\\.`);
/** Bedrock's version suffix, with an optional context-window variant: `-v1:0`, `-v2:0:200k`, `-v1`. */
const BEDROCK_VERSION = /(?:-v\d+)?(?::\d+)?(?::\d+k)?$/;
/** The colon form of that suffix is Bedrock's alone, so it is stripped from any name. */
const COLON_VERSION = /-v\d+:\d+(?::\d+k)?$/;
/** `-2024-07-18` (OpenAI) and `-20250929` (Anthropic) snapshot dates. */
const DATE_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8})$/;

/**
 * Normalises a model name for price matching: lowercase; only the last `/` segment (drops
 * `openai/`, `models/`, `publishers/google/models/`, ARN paths…); Vertex `@version` dropped;
 * Bedrock `us.`/`eu.`/`apac.`/`global.` region and `anthropic.`/`amazon.`… vendor prefixes and
 * `-v1:0` version suffixes dropped; `-2024-07-18` / `-20250929` dates and `-latest` dropped.
 * Mistral's `-2411` and xAI's `-0709` version suffixes are kept (versions differ in price).
 * Returns '' for an empty name.
 */
export function normaliseModelName(name: string): string {
  let model = name.trim().toLowerCase();
  model = model.slice(model.lastIndexOf('/') + 1);
  const at = model.indexOf('@');
  if (at >= 0) model = model.slice(0, at);
  const bedrock = BEDROCK_ID.exec(model);
  if (bedrock) model = model.slice(bedrock[0].length).replace(BEDROCK_VERSION, '');
  else model = model.replace(COLON_VERSION, '');
  return model.replace(DATE_SUFFIX, '').replace(/-latest$/, '');
}

/** Which Bedrock endpoint a call used: its price differs for Claude 4.5-generation models. */
export type BedrockEndpoint = 'regional' | 'global';

/**
 * The Bedrock endpoint a model id names, or null when the id is not a Bedrock id:
 * `global.anthropic.…` → 'global'; `us.anthropic.…` and `anthropic.…` → 'regional'.
 */
export function bedrockEndpointOf(name: string): BedrockEndpoint | null {
  const model = name.trim().toLowerCase();
  const bedrock = BEDROCK_ID.exec(model.slice(model.lastIndexOf('/') + 1));
  if (!bedrock) return null;
  return bedrock[1] === 'global' ? 'global' : 'regional';
}

/** Whole-name provider spellings (semantic conventions, legacy `gen_ai.system`, OpenInference, LiteLLM). */
const PROVIDER_NAMES: Record<string, string> = {
  'gcp.vertex_ai': 'gcp.vertex_ai',
  vertex_ai: 'gcp.vertex_ai',
  vertex: 'gcp.vertex_ai',
  vertexai: 'gcp.vertex_ai',
  'google-vertex': 'gcp.vertex_ai',
  'gcp.gemini': 'gcp.gemini',
  'gcp.gen_ai': 'gcp.gemini',
  gemini: 'gcp.gemini',
  google: 'gcp.gemini',
  google_genai: 'gcp.gemini',
  'google-genai': 'gcp.gemini',
  'aws.bedrock': 'aws.bedrock',
  aws: 'aws.bedrock',
  bedrock: 'aws.bedrock',
  bedrock_converse: 'aws.bedrock',
  'amazon-bedrock': 'aws.bedrock',
  amazon_bedrock: 'aws.bedrock',
  mistral: 'mistral_ai',
  mistral_ai: 'mistral_ai',
  mistralai: 'mistral_ai',
  xai: 'x_ai',
  x_ai: 'x_ai',
  'x-ai': 'x_ai',
};

/**
 * Normalises a provider name to the `gen_ai.provider.name` value the price table uses: openai,
 * anthropic, gcp.gemini, gcp.vertex_ai, aws.bedrock, mistral_ai, deepseek, x_ai. Vercel AI SDK
 * ids (`openai.chat`, `anthropic.messages`, `google.vertex.chat`, `xai.chat`) map by their first
 * segment. Other names come back lowercased, unchanged.
 */
export function normaliseProvider(name: string): string {
  const provider = name.trim().toLowerCase();
  const whole = PROVIDER_NAMES[provider];
  if (whole) return whole;
  if (provider.startsWith('google.vertex')) return 'gcp.vertex_ai';
  const first = provider.split('.')[0] ?? '';
  if (first === 'openai' || first === 'anthropic' || first === 'deepseek') return first;
  if (first === 'google') return 'gcp.gemini';
  return PROVIDER_NAMES[first] ?? provider;
}
