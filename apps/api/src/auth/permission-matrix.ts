import type { Permission, Role, SessionKind } from '@zakpos/contracts';

const SALES: Permission[] = ['sales.sell', 'sales.refund', 'sales.void', 'sales.discount', 'sales.approve'];

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
    'customers.read',
    'customers.write',
    ...SALES,
    'sales.refund_without_receipt',
    'cash.session',
    // Tenant-wide books: not for store-scoped managers, nor for a register session.
    'accounting.read',
    'reports.read',
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
    'customers.read',
    'customers.write',
    ...SALES,
    'sales.refund_without_receipt',
    'cash.session',
    // Limited to the manager's stores by the reports service.
    'reports.read',
  ]),
  cashier: new Set<Permission>([
    'tenant.read',
    'stores.read',
    'catalog.read',
    'inventory.read',
    'customers.read',
    'customers.write',
    'sales.sell',
    'cash.session',
  ]),
};

/**
 * All a register (PIN) session may do, whatever the role: read what the till shows, sell, and approve at
 * the register. Never administer the tenant, users, stores, registers, catalog or inventory: a 4-digit PIN
 * typed at a till is not the owner's password.
 */
export const registerSessionPermissions: ReadonlySet<Permission> = new Set<Permission>([
  'tenant.read',
  'stores.read',
  'catalog.read',
  'inventory.read',
  // Customer data is tenant-wide and the till both finds and signs up customers.
  'customers.read',
  'customers.write',
  ...SALES,
  'cash.session',
]);

/** The one permission check: the role must have it, and a register session only within its limits. */
export function can(role: Role, kind: SessionKind, permission: Permission): boolean {
  if (kind === 'register' && !registerSessionPermissions.has(permission)) return false;
  return permissionMatrix[role].has(permission);
}
