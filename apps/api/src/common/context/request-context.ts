import type { Role } from '@zakpos/contracts';

/**
 * Who is acting, for which tenant, from where. Passed first to every service method
 * and used to open the tenant-scoped database transaction.
 */
export interface RequestContext {
  readonly requestId: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly role: Role;
  /** Stores the user may work in; owners see every store (null = unrestricted). */
  readonly storeIds: readonly string[] | null;
  /** Set when the token came from a PIN login on a register. */
  readonly registerId: string | null;
  readonly ip: string;
  readonly userAgent: string | null;
}

/** The part of a context needed to reach tenant data: a tenant and, for auditing, an actor. */
export interface TenantScope {
  readonly tenantId: string;
  readonly userId?: string | null;
}
