/**
 * Where rows decoded from the Agents SDK's trace export say they came from. The export names no
 * service and no SDK version (the SDK is the only sender, in JavaScript or Python), so every row
 * gets the same resource and scope.
 */
import { RESOURCE, type AttributeMap } from '@agentflow/schemas';
import { newAttributeMap } from '../otlp/value-format.js';

/** `service.name` and `telemetry.sdk.name` of every row: the SDK's package name. */
export const OPENAI_AGENTS_SERVICE_NAME = 'openai-agents';

/** Instrumentation scope of every row: the SDK's tracing exported to its own ingest format. */
export const OPENAI_AGENTS_SCOPE_NAME = 'openai-agents.tracing';

/** A fresh resource for one request's rows (rows of one request share it: treat as read-only). */
export function openAiAgentsResource(): AttributeMap {
  const attributes = newAttributeMap();
  attributes[RESOURCE.SERVICE_NAME] = OPENAI_AGENTS_SERVICE_NAME;
  attributes[RESOURCE.TELEMETRY_SDK_NAME] = OPENAI_AGENTS_SERVICE_NAME;
  return attributes;
}
