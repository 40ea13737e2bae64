/** What authentication leaves on every request (set by the auth plugin's onRequest hook). */
declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant whose data the request may write or read. */
    tenantId: string;
    /** The caller's role: `ingest`, `read` or `admin`; `admin` when the server runs open. */
    role: Role;
  }
}

/** What a key may do: `ingest` writes telemetry, `read` queries, `admin` both plus maintenance. */
export type Role = 'ingest' | 'read' | 'admin';

export const ROLES: readonly Role[] = ['ingest', 'read', 'admin'];
