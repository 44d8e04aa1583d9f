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
