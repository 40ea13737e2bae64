import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ROLES, type Role } from './request-tenant.js';

/** Who a key belongs to. */
export interface KeyGrant {
  tenantId: string;
  role: Role;
}

/** Keys by the SHA-256 of the key: only hashes are kept in memory, and only hashes in a keys file. */
export type KeyTable = Map<string, KeyGrant>;

/** Hex SHA-256 of a key, as stored in a keys file. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Outcome of reading key configuration: the table, or the entries that are wrong and why. */
export type KeysResult = { ok: true; keys: KeyTable } | { ok: false; errors: string[] };

const TENANT = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Builds the key table from `AGENTFLOW_API_KEYS` (comma-separated `tenant:role:key`) and the
 * lines of the file named by `AGENTFLOW_KEYS_FILE` (`tenant:role:sha256-of-key`, `#` comments).
 */
export function loadKeys(apiKeys: string | undefined, keysFile: string | undefined): KeysResult {
  const keys: KeyTable = new Map();
  const errors: string[] = [];
  const add = (where: string, tenantId: string, role: string, hash: string) => {
    if (!TENANT.test(tenantId)) errors.push(`${where}: tenant '${tenantId}' must be 1–64 letters, digits, '_', '.' or '-'`);
    else if (!ROLES.includes(role as Role)) errors.push(`${where}: role '${role}' must be ingest, read or admin`);
    else keys.set(hash, { tenantId, role: role as Role });
  };
  (apiKeys ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '').forEach((entry, i) => {
    const [tenantId = '', role = '', ...rest] = entry.split(':');
    const key = rest.join(':');
    if (key.length < 16) errors.push(`AGENTFLOW_API_KEYS entry ${i + 1}: expected tenant:role:key with a key of at least 16 characters`);
    else add(`AGENTFLOW_API_KEYS entry ${i + 1}`, tenantId, role, hashKey(key));
  });
  if (keysFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(keysFile, 'utf8');
    } catch (err) {
      return { ok: false, errors: [`AGENTFLOW_KEYS_FILE ${keysFile} cannot be read: ${(err as Error).message}`] };
    }
    text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const [tenantId = '', role = '', hash = ''] = line.split(':');
      if (!/^[0-9a-f]{64}$/.test(hash)) errors.push(`${keysFile}:${i + 1}: expected tenant:role:<sha256 hex of the key>`);
      else add(`${keysFile}:${i + 1}`, tenantId, role, hash);
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, keys };
}
