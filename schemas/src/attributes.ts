/**
 * Attribute keys agentflow reads or writes. Every key used anywhere in the project comes from
 * here: the GenAI keys are unstable upstream (the npm semantic-conventions package marks them
 * deprecated as they move to the GenAI conventions repository), so we keep our own copies.
 */

/** OTel resource attribute keys (stable semantic conventions). */
export const RESOURCE = {
  SERVICE_NAME: 'service.name',
  SERVICE_INSTANCE_ID: 'service.instance.id',
  SERVICE_VERSION: 'service.version',
} as const;
