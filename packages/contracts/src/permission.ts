/** Everything a role can be allowed to do. The role → permission matrix lives in the API. */
export const permissions = [
  'tenant.read',
  'tenant.manage',
  'stores.read',
  'stores.manage',
  'registers.manage',
  'users.read',
  'users.manage',
  'catalog.read',
  'catalog.manage',
  'inventory.read',
  'inventory.adjust',
  'inventory.transfer',
  'inventory.count',
  'audit.read',
] as const;

export type Permission = (typeof permissions)[number];

export const roles = ['owner', 'manager', 'cashier'] as const;
export type Role = (typeof roles)[number];

/**
 * How a session was opened: `full` by password (or signup), `register` by a PIN on a register. A
 * register session never administers anything, whatever the role (apps/api/src/auth/permission-matrix.ts).
 */
export const sessionKinds = ['full', 'register'] as const;
export type SessionKind = (typeof sessionKinds)[number];
