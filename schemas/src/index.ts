export { RESOURCE, GEN_AI, GEN_AI_LEGACY, GEN_AI_OPERATION, GENERAL, AGENTFLOW } from './attributes.js';
export { AGENT_INSTANCE_STATUS } from './attributes.js';
export {
  ATTRIBUTE_PREFIX, GEN_AI_OPERATION_EXTRA, OPENINFERENCE, OPENINFERENCE_SPAN_KIND, LANGCHAIN_METADATA, VERCEL_AI, VERCEL_AI_OPERATION,
  OPENLLMETRY, OPENLLMETRY_SPAN_KIND, ASSOCIATION_KEYS, MASTRA, MASTRA_SPAN_TYPE, OPENAI_AGENTS, OPENAI_AGENTS_SPAN_TYPE,
} from './attributes.js';
export { DATABASE, TABLES, TENANT_COLUMNS, DEFAULT_TENANT } from './tables.js';
export { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from './rows.js';
export type { AttributeMap, SpanEventRow, SpanLinkRow, SpanRow, LogRow, SpanKindName, StatusCodeName } from './rows.js';
export { MIGRATIONS_DIR } from './migrations-dir.js';
export { RUN_STATUS, ACTION_TYPES, COST_SOURCES, COMMUNICATION_TYPES } from './agent-rows.js';
export type {
  RunStatus, CostSource, UsageColumns, SessionRow, ActionRow, TransitionRow, DecisionRow, CommunicationRow, DerivedRows,
} from './agent-rows.js';
export { ANOMALY_KINDS, ANOMALY_SEVERITIES } from './anomaly-rows.js';
export type { AnomalyJson, AnomalyKind, AnomalySeverity, AnomalyRow, Detected, SessionSnapshot, SessionUsage } from './anomaly-rows.js';
export { MODEL_PRICES } from './prices/model-prices.js';
export {
  modelPriceTableSchema,
  modelPriceEntrySchema,
  modelPattern,
  priceDate,
  priceEndpoint,
  priceFields,
  usdPerMillionTokens,
  isValidPattern,
} from './prices/price-schema.js';
export type { ModelPriceEntry, ModelPriceEntryInput, ModelPriceTable } from './prices/price-schema.js';
