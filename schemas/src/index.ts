export { RESOURCE, GEN_AI, GEN_AI_LEGACY, GEN_AI_OPERATION, GENERAL, AGENTFLOW } from './attributes.js';
export { DATABASE, TABLES, DEFAULT_TENANT } from './tables.js';
export { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from './rows.js';
export type { AttributeMap, SpanEventRow, SpanLinkRow, SpanRow, LogRow, SpanKindName, StatusCodeName } from './rows.js';
export { MIGRATIONS_DIR } from './migrations-dir.js';
