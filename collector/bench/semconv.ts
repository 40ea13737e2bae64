/**
 * Stable OTel keys the load generator puts on its synthetic spans that `@agentflow/schemas` does
 * not define (agentflow never reads them; they are there so the payload looks like a real SDK's).
 * Every GenAI and agentflow key comes from `@agentflow/schemas`.
 */
export const OTEL = {
  HOST_ARCH: 'host.arch',
  OS_TYPE: 'os.type',
  PROCESS_RUNTIME_NAME: 'process.runtime.name',
  PROCESS_RUNTIME_VERSION: 'process.runtime.version',
  DEPLOYMENT_ENVIRONMENT_NAME: 'deployment.environment.name',
  CODE_FUNCTION_NAME: 'code.function.name',
  SERVER_ADDRESS: 'server.address',
  SERVER_PORT: 'server.port',
} as const;

/** The stable OTel exception event name (trace semantic conventions, "exceptions"). */
export const EXCEPTION_EVENT = 'exception';
