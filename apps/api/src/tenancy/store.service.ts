import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CreateStoreInput, Store, UpdateStoreInput } from '@zakpos/contracts';
import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { isUniqueViolation } from '../db/pg-error.js';
import { Database, type Tx } from '../db/database.js';
import { changes } from '../common/audit/audit-diff.js';
import { assertStoreInScope } from './store-scope.js';
import {
  findStore,
  findStoreForUpdate,
  insertStore,
  listStores,
  storeIdByCode,
  type StoreRow,
  updateStore,
} from './store.repository.js';
import { storeCodeTaken } from './tenancy.errors.js';

const CODE_UNIQUE = 'stores_tenant_id_code_key';

@Injectable()
export class StoreService {
  constructor(@Inject(Database) private readonly db: Database) {}

  list(ctx: RequestContext): Promise<Store[]> {
    return this.db.tenant(ctx, async (tx) => (await listStores(tx, ctx.tenantId, ctx.storeIds)).map(toStore));
  }

  get(ctx: RequestContext, id: string): Promise<Store> {
    return this.db.tenant(ctx, async (tx) => toStore(await this.visible(tx, ctx, id)));
  }

  create(ctx: RequestContext, input: CreateStoreInput): Promise<Store> {
    return this.db.tenant(ctx, async (tx) => {
      if (await storeIdByCode(tx, ctx.tenantId, input.code)) throw storeCodeTaken();
      const row = await insertStore(tx, {
        tenant_id: ctx.tenantId,
        id: randomUUID(),
        code: input.code,
        name: input.name,
        time_zone: input.timeZone,
        address: input.address,
        oversell_policy: input.oversellPolicy,
        active: input.active,
      }).catch(rethrowCodeTaken);
      const store = toStore(row);
      await recordAudit(tx, ctx, {
        action: 'store.created',
        entityType: 'store',
        entityId: store.id,
        storeIds: [store.id],
        data: { store },
      });
      return store;
    });
  }

  update(ctx: RequestContext, id: string, input: UpdateStoreInput): Promise<Store> {
    return this.db.tenant(ctx, async (tx) => {
      const current = await findStoreForUpdate(tx, ctx.tenantId, id);
      if (!current) throw DomainError.notFound('store');
      assertStoreInScope(ctx, id);
      if (input.code !== undefined && input.code !== current.code) {
        if (await storeIdByCode(tx, ctx.tenantId, input.code)) throw storeCodeTaken();
      }
      const row = await updateStore(tx, ctx.tenantId, id, {
        code: input.code,
        name: input.name,
        time_zone: input.timeZone,
        address: input.address,
        oversell_policy: input.oversellPolicy,
        active: input.active,
      }).catch(rethrowCodeTaken);
      const before = toStore(current);
      const after = toStore(row);
      await recordAudit(tx, ctx, {
        action: 'store.updated',
        entityType: 'store',
        entityId: id,
        storeIds: [id],
        data: { changes: changes(before, after) },
      });
      return after;
    });
  }

  /** A store of the tenant the caller may see: 404 when absent (or another tenant's), 403 when not theirs. */
  private async visible(tx: Tx, ctx: RequestContext, id: string): Promise<StoreRow> {
    const row = await findStore(tx, ctx.tenantId, id);
    if (!row) throw DomainError.notFound('store');
    assertStoreInScope(ctx, id);
    return row;
  }
}

function rethrowCodeTaken(e: unknown): never {
  throw isUniqueViolation(e, CODE_UNIQUE) ? storeCodeTaken() : e;
}

export function toStore(row: StoreRow): Store {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    timeZone: row.time_zone,
    address: row.address,
    oversellPolicy: row.oversell_policy,
    active: row.active,
    createdAt: row.created_at.toISOString(),
  };
}
