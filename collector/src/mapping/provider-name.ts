/**
 * Provider names as the GenAI conventions spell them (`gen_ai.provider.name` well-known values), so
 * cost lookup and grouping see one name per provider whatever the emitter wrote: the AI SDK and
 * Mastra send provider ids such as `openai.chat` or `anthropic.messages`, OpenLLMetry's Anthropic
 * instrumentation `Anthropic`, OpenInference `llm.system` values in lowercase.
 */
const CANONICAL: ReadonlySet<string> = new Set([
  'openai', 'anthropic', 'aws.bedrock', 'azure.ai.inference', 'azure.ai.openai', 'cohere', 'deepseek', 'gcp.gemini',
  'gcp.gen_ai', 'gcp.vertex_ai', 'groq', 'ibm.watsonx.ai', 'mistral_ai', 'perplexity', 'x_ai',
]);

/** First segment of a provider id (`openai.chat` → `openai`) → canonical name. */
const ALIASES: Readonly<Record<string, string>> = {
  'google.vertex': 'gcp.vertex_ai',
  google: 'gcp.gemini',
  gemini: 'gcp.gemini',
  vertexai: 'gcp.vertex_ai',
  vertex: 'gcp.vertex_ai',
  'google-vertex': 'gcp.vertex_ai',
  bedrock: 'aws.bedrock',
  'amazon-bedrock': 'aws.bedrock',
  azure: 'azure.ai.openai',
  'azure-openai': 'azure.ai.openai',
  mistral: 'mistral_ai',
  mistralai: 'mistral_ai',
  xai: 'x_ai',
};

/** The canonical, lowercase provider name; '' stays ''. Unknown providers keep their first segment. */
export function canonicalProvider(name: string): string {
  const lower = name.trim().toLowerCase();
  if (lower === '' || CANONICAL.has(lower)) return lower;
  const segments = lower.split('.');
  const head = segments[0] ?? lower;
  return ALIASES[lower] ?? ALIASES[segments.slice(0, 2).join('.')] ?? ALIASES[head] ?? head;
}
