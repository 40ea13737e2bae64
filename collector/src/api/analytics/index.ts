export { analyticsRoutes } from './analytics-routes.js';
export type { AnalyticsRoutesOptions } from './analytics-routes.js';
export type { AgentCost, AgentRow, AnalyticsReport, Bottleneck, CostBreakdown, FailureGroup, ModelCost, Overview, ToolUsage } from './report.js';
export type { DurationFigures, SessionFigures, TaskCost } from './session-stats.js';
export type { RepeatedCalls } from './action-stats.js';
export type { AgentAnomalies, AnomalyCount, AnomalyFigures, KindAnomalies } from './anomaly-stats.js';
export type { Bucket, HourlyPattern, HourOfDay } from './hourly.js';
export type { Suggestion, SuggestionRule } from '../../processing/index.js';
export type { RangeInfo } from './params.js';
export type {
  AgentDecision, AgentFiredAnswer, ConversationAgent, ConversationSession, Elsewhere, FailedAction, FiredEvidence, FiredVerdict, Handover,
} from '../../processing/index.js';
