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
  /** Find a customer and read their details (a cashier names the customer of a sale). */
  'customers.read',
  /** Create and change customers (a cashier signs one up at the till). */
  'customers.write',
  // At the register (the sales engine's routes will need these; no route uses them yet).
  /** Build carts, check out, park and resume, read receipts. */
  'sales.sell',
  /** Refund a sale. */
  'sales.refund',
  /** Refund products without a receipt, at their current price (never from a register session). */
  'sales.refund_without_receipt',
  /** Void a completed sale. */
  'sales.void',
  /** A manual discount or price override. */
  'sales.discount',
  /** Approve at the register what a cashier may not do alone (a refund, a void, a discount). */
  'sales.approve',
  /** Open and close the register's cash session, cash in and out. */
  'cash.session',
  /** Read the books: chart of accounts, journal, ledgers, trial balance, profit and loss (tenant-wide). */
  'accounting.read',
  /** Read the sales reports of the caller's stores (by day, product, tender, tax, margin, refunds, voids...). */
  'reports.read',
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
