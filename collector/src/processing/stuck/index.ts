export { StuckJob, stuckAnomalyId } from './stuck-job.js';
export type { StuckStats } from './stuck-job.js';
export { DEFAULT_STUCK_OPTIONS, resolveStuckOptions } from './options.js';
export type { OpenSpanBounds, StuckJobDeps, StuckLogger, StuckOptions, StuckOptionsInput } from './options.js';
export { STUCK_KINDS } from './stuck-queries.js';
