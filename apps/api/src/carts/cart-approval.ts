import { can } from '../auth/permission-matrix.js';
import { checkRefusal, checkSecret } from '../auth/credential-check.js';
import { findUserForUpdate, isAssignedToStore } from '../auth/auth.repository.js';
import { pinTarget } from '../auth/throttle.repository.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { Tx } from '../db/database.js';

export const approvalRequired = (field: string, message: string) =>
  new DomainError('APPROVAL_REQUIRED', message, { [field]: [message] });

export type ApprovalCheck = { kind: 'ok'; approverId: string } | { kind: 'refused'; error: DomainError };

/**
 * A manager's PIN typed on the register, checked like a PIN login (`checkSecret`, its throttle and its audit
 * of failures) in its own unit of work, so a failure is counted even though the cart write is refused. The
 * approver must be an active manager or owner who may approve at a register and work in the cart's store.
 */
export async function checkManagerPin(
  tx: Tx,
  ctx: RequestContext,
  storeId: string,
  managerId: string,
  managerPin: string,
): Promise<ApprovalCheck> {
  const user = await findUserForUpdate(tx, ctx.tenantId, managerId);
  const usable = user?.active ? user : null;
  const check = await checkSecret(tx, {
    target: pinTarget(managerId, ctx.ip),
    storedHash: usable?.pin_hash ?? null,
    given: managerPin,
    audit: usable && { tenantId: ctx.tenantId, userId: usable.id, ip: ctx.ip, userAgent: ctx.userAgent },
  });
  if (check.kind === 'throttled') return { kind: 'refused', error: checkRefusal(check) };
  if (check.kind === 'wrong') {
    return { kind: 'refused', error: approvalRequired('managerPin', 'is incorrect') };
  }
  const inStore =
    usable!.role === 'owner' || (await isAssignedToStore(tx, ctx.tenantId, usable!.id, storeId));
  if (!can(usable!.role, 'register', 'sales.approve') || !inStore) {
    return {
      kind: 'refused',
      error: approvalRequired('managerId', 'may not approve at a register of this store'),
    };
  }
  return { kind: 'ok', approverId: usable!.id };
}
