export { RollupJob } from './rollup-job.js';
export type { RollupJobDeps, RollupPass, RollupSettings } from './rollup-job.js';
export { AnomalyHub } from './anomaly-hub.js';
export type { AnomalyHubDeps, AnomalyListener } from './anomaly-hub.js';
export { LiveDetector, createSettingsFor, costRateOf, loadDetectionFile, qualityOf } from './detect/index.js';
export type { DetectionFile, DetectionSettings, SettingsFor } from './detect/index.js';
export { guardVerdict } from './guard/verdict.js';
export type { GuardAnswer, Verdict, VerdictReason } from './guard/verdict.js';
export { SUGGESTION_THRESHOLDS } from './analytics/thresholds.js';
export { suggest } from './analytics/suggestions.js';
export type { StepInput, Suggestion, SuggestionRule } from './analytics/suggestions.js';
export { isFailedStatus, judge } from './analytics/fired-verdict.js';
export type {
  AgentDecision, AgentFiredAnswer, ConversationAgent, ConversationSession, Elsewhere, FailedAction, FiredEvidence, FiredVerdict, Handover,
} from './analytics/fired-verdict.js';
export { ACTION_ROLLUP, FAILED_SQL, REPEAT_ROLLUP, SESSION_ROLLUP, rawRollupRows, storedRollupRows } from './analytics/rollup-shapes.js';
export type { QuantileFunction, RollupShape } from './analytics/rollup-shapes.js';
export { StuckJob } from './stuck/index.js';
export type { StuckStats } from './stuck/index.js';
export { createAlertDispatcher, loadAlertRules } from './alerts/index.js';
export type { AlertDispatcher, AlertDispatcherDeps, AlertDispatcherOptions, AlertRule, AlertRulesResult, AlertStats, AlertTestResult } from './alerts/index.js';
