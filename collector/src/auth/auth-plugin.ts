import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_TENANT } from '@agentflow/schemas';
import { AgentflowError, ERROR_CODES } from '../errors.js';
import { hashKey, type KeyTable } from './keys.js';
import type { Role } from './request-tenant.js';

/** Which role a path needs; null when it needs none. */
function requiredRole(url: string): Role | 'read-or-admin' | 'any' | null {
  const path = url.split('?')[0] ?? '';
  if (path === '/health') return null;
  if (path.startsWith('/v1/')) return 'ingest';
  // Agents hold ingest keys and ask the guard before their next step; it reveals only a verdict.
  if (path === '/api/v1/guard') return 'any';
  if (path.startsWith('/api/v1/admin/')) return 'admin';
  return 'read-or-admin';
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && /^bearer\s+/i.test(header)) return header.replace(/^bearer\s+/i, '').trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}

function allowed(role: Role, needed: ReturnType<typeof requiredRole>): boolean {
  if (needed === null || needed === 'any' || role === 'admin') return true;
  if (needed === 'read-or-admin') return role === 'read';
  return role === needed;
}

/**
 * Authenticates every request with an API key (`Authorization: Bearer <key>` or `x-api-key`)
 * and stamps the key's tenant and role on it. With no keys configured the server runs open:
 * every request is the default tenant's admin. Ingest keys cannot read; read keys cannot ingest.
 * Installed on the root instance (not as an encapsulated plugin) so the hook covers every route.
 */
export function installAuth(app: FastifyInstance, opts: { keys: KeyTable }): void {
  app.decorateRequest('tenantId', DEFAULT_TENANT);
  app.decorateRequest('role', 'admin');
  if (opts.keys.size === 0) return;
  app.addHook('onRequest', async (request) => {
    const needed = requiredRole(request.url);
    if (needed === null) return;
    const key = presentedKey(request);
    if (key === undefined) {
      throw new AgentflowError(ERROR_CODES.UNAUTHENTICATED, 401, 'missing API key: send Authorization: Bearer <key> or x-api-key: <key>');
    }
    const grant = opts.keys.get(hashKey(key));
    if (!grant) throw new AgentflowError(ERROR_CODES.UNAUTHENTICATED, 401, 'invalid API key');
    if (!allowed(grant.role, needed)) {
      const want = needed === 'read-or-admin' || needed === 'any' ? 'read' : needed;
      throw new AgentflowError(ERROR_CODES.FORBIDDEN, 403, `this key has role '${grant.role}' and may not ${want === 'ingest' ? 'ingest telemetry' : want === 'read' ? 'read data' : 'run admin operations'}`);
    }
    request.tenantId = grant.tenantId;
    request.role = grant.role;
  });
}
