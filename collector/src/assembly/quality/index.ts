export { checkAnswer, DEFAULT_QUALITY_OPTIONS, QUALITY_CHECKS } from './checks.js';
export type { CheckResult, QualityCheckName, QualityOptions, QualityVerdict } from './checks.js';
export { assistantText } from './assistant-text.js';
export { scoreResponse } from './score-response.js';
