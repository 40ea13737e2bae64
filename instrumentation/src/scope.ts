/** Default instrumentation scope of the spans and log records this package emits. */
export const DEFAULT_TRACER_NAME = '@agentflow/instrumentation';
/** Version reported with the instrumentation scope. */
export const INSTRUMENTATION_VERSION = '0.1.0';
