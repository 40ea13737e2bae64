export { decodeTracesProto } from './proto-traces.js';
export { decodeLogsProto } from './proto-logs.js';
export { decodeTracesJson } from './json-traces.js';
export { decodeLogsJson } from './json-logs.js';
export type { DecodeResult } from './decode-result.js';
export { OtlpDecodeError, type OtlpDecodeErrorCode } from './decode-error.js';
