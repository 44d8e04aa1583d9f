import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type {
  CreatePaymentMethodInput,
  PaymentMethod,
  PaymentMethodListQuery,
  UpdatePaymentMethodInput,
} from '@zakpos/contracts';
import { ensureKeyedAccount } from '../accounting/keyed-accounts.js';
import { changes } from '../common/audit/audit-diff.js';
import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Database } from '../db/database.js';
import { isUniqueViolation } from '../db/pg-error.js';
import {
  findPaymentMethodForUpdate,
  insertPaymentMethod,
  listPaymentMethods,
  paymentMethodIdByCode,
  type PaymentMethodRow,
  updatePaymentMethod,
} from './payment-method.repository.js';
import { paymentMethodCodeTaken } from './payment-methods.errors.js';

const CODE_UNIQUE = 'payment_methods_tenant_id_code_key';

/** The tenant's tenders beyond cash and card. Each has its own clearing account, keyed by its code. */
@Injectable()
export class PaymentMethodService {
  constructor(@Inject(Database) private readonly db: Database) {}

  list(ctx: RequestContext, query: PaymentMethodListQuery): Promise<PaymentMethod[]> {
    return this.db.tenant(ctx, async (tx) =>
      (await listPaymentMethods(tx, ctx.tenantId, { active: query.active })).map(toPaymentMethod),
    );
  }

  create(ctx: RequestContext, input: CreatePaymentMethodInput): Promise<PaymentMethod> {
    return this.db.tenant(ctx, async (tx) => {
      if (await paymentMethodIdByCode(tx, ctx.tenantId, input.code)) throw paymentMethodCodeTaken();
      const row = await insertPaymentMethod(tx, {
        tenant_id: ctx.tenantId,
        id: randomUUID(),
        code: input.code,
        name: input.name,
      }).catch(rethrowCodeTaken);
      const accountId = await ensureKeyedAccount(tx, ctx, {
        purpose: 'other_tender_clearing',
        tenderKey: row.code,
        name: `Clearing: ${row.name}`,
      });
      const method = toPaymentMethod(row);
      await recordAudit(tx, ctx, {
        action: 'payment_method.created',
        entityType: 'payment_method',
        entityId: method.id,
        data: { paymentMethod: method, clearingAccountId: accountId },
      });
      return method;
    });
  }

  update(ctx: RequestContext, id: string, input: UpdatePaymentMethodInput): Promise<PaymentMethod> {
    return this.db.tenant(ctx, async (tx) => {
      const current = await findPaymentMethodForUpdate(tx, ctx.tenantId, id);
      if (!current) throw DomainError.notFound('payment method');
      const after = toPaymentMethod(
        await updatePaymentMethod(tx, ctx.tenantId, id, { name: input.name, active: input.active }),
      );
      await recordAudit(tx, ctx, {
        action: 'payment_method.updated',
        entityType: 'payment_method',
        entityId: id,
        data: { changes: changes(toPaymentMethod(current), after) },
      });
      return after;
    });
  }
}

/** Two creates of one code at once: the unique key lets one through. */
function rethrowCodeTaken(e: unknown): never {
  throw isUniqueViolation(e, CODE_UNIQUE) ? paymentMethodCodeTaken() : e;
}

function toPaymentMethod(row: PaymentMethodRow): PaymentMethod {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    active: row.active,
    createdAt: row.created_at.toISOString(),
  };
}
