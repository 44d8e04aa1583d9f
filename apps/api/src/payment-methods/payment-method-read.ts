import type { TenantScope } from '../common/context/request-context.js';
import type { Tx } from '../db/database.js';

/**
 * Of `codes`, those naming an active payment method of the tenant: a checkout's `other` tenders must all be
 * among them. Locks their rows (FOR SHARE, in code order) until the caller commits: a deactivation waits for
 * the sale that uses the method, and a sale waiting on a deactivation sees the method inactive.
 */
export async function findActivePaymentMethods(
  tx: Tx,
  scope: TenantScope,
  codes: readonly string[],
): Promise<Map<string, { id: string; code: string; name: string }>> {
  if (codes.length === 0) return new Map();
  const rows = await tx
    .selectFrom('payment_methods')
    .select(['id', 'code', 'name'])
    .where('tenant_id', '=', scope.tenantId)
    .where('code', 'in', [...new Set(codes)])
    .where('active', '=', true)
    .orderBy('code')
    .forShare()
    .execute();
  return new Map(rows.map((r) => [r.code, r]));
}
