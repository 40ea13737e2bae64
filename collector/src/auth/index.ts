import './request-tenant.js';

export { installAuth } from './auth-plugin.js';
export { loadKeys, hashKey } from './keys.js';
export type { KeyTable, KeyGrant } from './keys.js';
export type { Role } from './request-tenant.js';
