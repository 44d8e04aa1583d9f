import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type {
  CreateCustomerInput,
  Customer,
  CustomerListQuery,
  UpdateCustomerInput,
} from '@zakpos/contracts';
import { z } from 'zod';
import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Cursors, cursorKind } from '../common/paging/cursor.js';
import { Database, type Tx } from '../db/database.js';
import {
  type CustomerCursor,
  type CustomerRow,
  customerIdBy,
  findCustomer,
  insertCustomer,
  lockCustomer,
  replaceCustomerTerms,
  searchCustomers,
  updateCustomer,
} from './customer.repository.js';
import { customerQuery, customerTerms } from './customer-search-terms.js';
import { customerFieldTaken, rethrowCustomerConflict } from './customers.errors.js';

const customerCursor = cursorKind('customers', z.tuple([z.string().min(1).max(200), z.uuid()]));

const UNIQUE_FIELDS = ['email', 'phone'] as const;

@Injectable()
export class CustomerService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Cursors) private readonly cursors: Cursors,
  ) {}

  get(ctx: RequestContext, id: string): Promise<Customer> {
    return this.db.tenant(ctx, async (tx) => {
      const row = await findCustomer(tx, ctx.tenantId, id);
      if (!row) throw DomainError.notFound('customer');
      return toCustomer(row);
    });
  }

  list(
    ctx: RequestContext,
    query: CustomerListQuery,
  ): Promise<{ items: Customer[]; nextCursor: string | null }> {
    const after: CustomerCursor | undefined =
      query.cursor === undefined ? undefined : this.afterCursor(ctx.tenantId, query.cursor);
    return this.db.tenant(ctx, async (tx) => {
      const rows = await searchCustomers(tx, ctx.tenantId, {
        query: query.q === undefined ? undefined : customerQuery(query.q),
        after,
        limit: query.limit + 1,
      });
      return this.cursors.page(ctx.tenantId, customerCursor, rows, query.limit, toCustomer, (r) => [
        r.name,
        r.id,
      ]);
    });
  }

  private afterCursor(tenantId: string, cursor: string): CustomerCursor {
    const [name, id] = this.cursors.decode(tenantId, customerCursor, cursor);
    return { name, id };
  }

  create(ctx: RequestContext, input: CreateCustomerInput): Promise<Customer> {
    return this.db
      .tenant(ctx, async (tx) => {
        await assertUniqueFree(tx, ctx.tenantId, input, null);
        const row = await insertCustomer(tx, {
          tenant_id: ctx.tenantId,
          id: randomUUID(),
          name: input.name,
          phone: input.phone ?? null,
          email: input.email ?? null,
          note: input.note ?? null,
        });
        await replaceCustomerTerms(tx, ctx.tenantId, row.id, customerTerms(row));
        // Which fields were given, not their values: the audit log keeps no more personal data than it needs.
        await recordAudit(tx, ctx, {
          action: 'customer.created',
          entityType: 'customer',
          entityId: row.id,
          data: { fields: givenFields(input) },
        });
        return toCustomer(row);
      })
      .catch(rethrowCustomerConflict);
  }

  update(ctx: RequestContext, id: string, input: UpdateCustomerInput): Promise<Customer> {
    return this.db
      .tenant(ctx, async (tx) => {
        const before = await lockCustomer(tx, ctx.tenantId, id);
        if (!before) throw DomainError.notFound('customer');
        await assertUniqueFree(tx, ctx.tenantId, input, id);
        const after = await updateCustomer(tx, ctx.tenantId, id, {
          ...(input.name === undefined ? {} : { name: input.name }),
          ...(input.phone === undefined ? {} : { phone: input.phone }),
          ...(input.email === undefined ? {} : { email: input.email }),
          ...(input.note === undefined ? {} : { note: input.note }),
        });
        await replaceCustomerTerms(tx, ctx.tenantId, id, customerTerms(after));
        const changed = (['name', 'phone', 'email', 'note'] as const).filter((f) => before[f] !== after[f]);
        await recordAudit(tx, ctx, {
          action: 'customer.updated',
          entityType: 'customer',
          entityId: id,
          data: { fields: changed },
        });
        return toCustomer(after);
      })
      .catch(rethrowCustomerConflict);
  }
}

/** 409 naming the field when another customer already has the email or phone being set. */
async function assertUniqueFree(
  tx: Tx,
  tenantId: string,
  input: Partial<Pick<CreateCustomerInput, 'email' | 'phone'>>,
  self: string | null,
): Promise<void> {
  for (const field of UNIQUE_FIELDS) {
    const value = input[field];
    if (value == null) continue;
    const holder = await customerIdBy(tx, tenantId, field, value);
    if (holder !== undefined && holder !== self) throw customerFieldTaken(field);
  }
}

function givenFields(input: CreateCustomerInput): string[] {
  return (['name', 'phone', 'email', 'note'] as const).filter((f) => input[f] != null);
}

function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    email: row.email,
    note: row.note,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
