export { createAlertDispatcher } from './alert-dispatcher.js';
export type { AlertDispatcher, AlertDispatcherDeps, AlertDispatcherOptions, AlertStats, AlertTestResult } from './alert-dispatcher.js';
export { loadAlertRules } from './alert-rules.js';
export type { AlertRule, AlertRulesResult } from './alert-rules.js';
export type { AlertPayload } from './alert-payload.js';
export type { FetchPort } from './webhook-delivery.js';
export type { AlertLogger } from './warn-limiter.js';
