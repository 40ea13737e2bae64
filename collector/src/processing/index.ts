export { RollupJob } from './rollup-job.js';
export type { RollupJobDeps, RollupPass, RollupSettings } from './rollup-job.js';
