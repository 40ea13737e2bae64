export { RollupJob } from './rollup-job.js';
export type { RollupJobDeps, RollupPass, RollupSettings } from './rollup-job.js';
export { AnomalyHub } from './anomaly-hub.js';
export type { AnomalyHubDeps, AnomalyListener } from './anomaly-hub.js';
export { LiveDetector, createSettingsFor, costRateOf, loadDetectionFile } from './detect/index.js';
export type { DetectionFile, DetectionSettings, SettingsFor } from './detect/index.js';
export { guardVerdict } from './guard/verdict.js';
export type { GuardAnswer, Verdict, VerdictReason } from './guard/verdict.js';
