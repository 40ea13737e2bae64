export { LiveDetector } from './live-detector.js';
export type { LiveDetectorDeps, WatchedTrace } from './live-detector.js';
export { detectTrace } from './detect-trace.js';
export type { TraceDetection } from './detect-trace.js';
export { costRateOf, createSettingsFor, loadDetectionFile, qualityOf, DETECTION_FILE_SCHEMA } from './settings.js';
export type { CostRateLimit, DetectionFile, DetectionSettings, SessionScope, SettingsFor } from './settings.js';
export { StartedAgents } from './started-agents.js';
export type { StartedAgentRecord } from './started-agents.js';
