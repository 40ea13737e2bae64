/** Agent-side API: filled in by the instrumentation issue. */
export {};
