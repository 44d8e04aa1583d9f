import type { Permission, Role } from '@zakpos/contracts';

/**
 * What each role may do. Managers and cashiers are further limited to their stores
 * (RequestContext.storeIds), which the services enforce on every store-bound operation.
 */
export const permissionMatrix: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set<Permission>([
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
  ]),
  manager: new Set<Permission>([
    'tenant.read',
    'stores.read',
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
  ]),
  cashier: new Set<Permission>(['tenant.read', 'stores.read', 'catalog.read', 'inventory.read']),
};

export function can(role: Role, permission: Permission): boolean {
  return permissionMatrix[role].has(permission);
}
