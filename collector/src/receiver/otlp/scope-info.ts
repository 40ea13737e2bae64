import type { AttributeMap } from '@agentflow/schemas';

/** An instrumentation scope as rows carry it, filled while its ScopeSpans/ScopeLogs is read. */
export interface ScopeInfo {
  name: string;
  version: string;
  /** Filled only when the caller keeps scope attributes (logs); spans skip them. */
  attributes: AttributeMap | null;
}
