import type { Role, SessionKind } from '@zakpos/contracts';

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
  /** A register (PIN) session may only sell and read (auth/permission-matrix.ts). */
  readonly sessionKind: SessionKind;
  /** The token's session version: every unit of work opened with this context checks it. */
  readonly sessionVersion: number;
  readonly ip: string;
  readonly userAgent: string | null;
  /** A seed's business time (TenantScope.at); never set for a request. */
  readonly at?: Date;
}

/** The part of a context needed to reach tenant data: a tenant and, for auditing, an actor. */
export interface TenantScope {
  readonly tenantId: string;
  readonly userId?: string | null;
  /**
   * Set for a request's context: the unit's BEGIN also checks that `userId` is active and still at this
   * session version, or fails with 401 (auth/token.service.ts, migration 0008).
   */
  readonly sessionVersion?: number;
  /**
   * The business time the unit records (app_now(), migration 0019) instead of the transaction's start.
   * Only a seed writing past days of trading sets it; a request never does.
   */
  readonly at?: Date;
}
