/**
 * The names the query bench's synthetic fleet uses: 50 agents in 10 roles (each role with its
 * service, workflow, goal type and goal wording), 6 priced models, 20 tools and 5 error types.
 * They travel to the generating SQL as bound array parameters, indexed from 1.
 */

const ROLES = ['support', 'billing', 'research', 'planner', 'coder', 'reviewer', 'triage', 'sales', 'ops', 'security'] as const;

/** Agents in the fleet; agent i has role i % 10. */
export const AGENT_COUNT = 50;

/** Agent names, `support-agent-00` … `security-agent-49`. */
export const AGENT_NAMES: readonly string[] = Array.from({ length: AGENT_COUNT }, (_, i) => `${ROLES[i % ROLES.length]}-agent-${String(i).padStart(2, '0')}`);

const WORKFLOWS = [
  'ticket-resolution', 'invoice-dispute', 'market-research', 'release-planning', 'code-change',
  'code-review', 'incident-triage', 'lead-qualification', 'deploy', 'access-review',
] as const;
const GOAL_TYPES = ['support', 'billing', 'research', 'planning', 'coding', 'review', 'triage', 'sales', 'operations', 'security'] as const;
const GOALS = [
  'Resolve customer ticket', 'Explain the charges on invoice', 'Summarise market signals for account', 'Plan the release of milestone',
  'Implement the change request', 'Review pull request', 'Triage incident', 'Qualify inbound lead', 'Roll out deployment',
  'Review access grants of team',
] as const;

/** Models with their provider and USD per 1M input/output tokens (list prices, rounded). */
const MODELS = [
  { model: 'gpt-4o', provider: 'openai', input: 2.5, output: 10 },
  { model: 'gpt-4o-mini', provider: 'openai', input: 0.15, output: 0.6 },
  { model: 'claude-sonnet-4-5', provider: 'anthropic', input: 3, output: 15 },
  { model: 'claude-haiku-4-5', provider: 'anthropic', input: 1, output: 5 },
  { model: 'gemini-2.5-flash', provider: 'gcp.gemini', input: 0.3, output: 2.5 },
  { model: 'mistral-large', provider: 'mistral_ai', input: 2, output: 6 },
] as const;

/** Models in the fleet (agent i mostly uses model i % MODEL_COUNT). */
export const MODEL_COUNT = MODELS.length;

const TOOLS = [
  'search_web', 'lookup_invoice', 'read_file', 'write_file', 'run_tests', 'query_db', 'send_email', 'create_ticket', 'fetch_url',
  'summarize_doc', 'translate', 'lookup_customer', 'refund_payment', 'schedule_meeting', 'search_kb', 'run_shell', 'open_pr',
  'review_diff', 'classify_intent', 'get_metrics',
] as const;

/** Tools in the fleet (each agent uses 5 of them). */
export const TOOL_COUNT = TOOLS.length;

const ERRORS = [
  { type: 'RateLimitError', message: 'model provider answered 429 Too Many Requests' },
  { type: 'TimeoutError', message: 'tool call exceeded its 30 s deadline' },
  { type: 'ToolError', message: 'tool returned HTTP 500 Internal Server Error' },
  { type: 'ValidationError', message: 'model output did not match the response schema' },
  { type: 'ContextLengthExceeded', message: 'prompt exceeds the model context window' },
] as const;

/** Error types a failed session can have. */
export const ERROR_COUNT = ERRORS.length;

const TRIGGERS = ['user_message', 'schedule', 'webhook'] as const;

/** The vocabulary as query parameters (`{agents:Array(String)}` …), every array indexed from 1 in SQL. */
export function vocabularyParams(): Record<string, readonly (string | number)[]> {
  return {
    agents: AGENT_NAMES,
    roles: ROLES,
    services: ROLES.map((r) => `${r}-service`),
    workflows: WORKFLOWS,
    goal_types: GOAL_TYPES,
    goals: GOALS,
    models: MODELS.map((m) => m.model),
    providers: MODELS.map((m) => m.provider),
    price_in: MODELS.map((m) => m.input),
    price_out: MODELS.map((m) => m.output),
    tools: TOOLS,
    error_types: ERRORS.map((e) => e.type),
    error_messages: ERRORS.map((e) => e.message),
    triggers: TRIGGERS,
  };
}

/** SQL types of {@link vocabularyParams}. */
export const VOCABULARY_TYPES: Readonly<Record<string, string>> = {
  agents: 'Array(String)', roles: 'Array(String)', services: 'Array(String)', workflows: 'Array(String)',
  goal_types: 'Array(String)', goals: 'Array(String)', models: 'Array(String)', providers: 'Array(String)',
  price_in: 'Array(Float64)', price_out: 'Array(Float64)', tools: 'Array(String)', error_types: 'Array(String)',
  error_messages: 'Array(String)', triggers: 'Array(String)',
};
