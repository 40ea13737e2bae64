export { decodeOpenAiTraces } from './decode.js';
