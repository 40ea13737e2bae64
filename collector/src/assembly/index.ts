export { Assembler } from './assembler.js';
export type { AssemblerDeps, AssemblyConfig, AssemblyObserver, AssemblyStats, AgentSinks } from './assembler.js';
export type { OpenTrace } from './trace-buffer.js';
export { deriveTrace } from './derive.js';
export type { DerivedTrace } from './derive.js';
export type { CostResolver } from './derive-actions.js';
export { AssemblyThread } from './thread/assembly-thread.js';
