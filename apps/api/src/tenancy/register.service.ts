import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CreateRegisterInput, Register, UpdateRegisterInput } from '@zakpos/contracts';
import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { isUniqueViolation } from '../db/pg-error.js';
import { Database, type Tx } from '../db/database.js';
import { changes } from '../common/audit/audit-diff.js';
import {
  findRegisterForUpdate,
  insertRegister,
  listRegisters,
  registerHasOpenCashSession,
  registerIdByName,
  type RegisterRow,
  updateRegister,
} from './register.repository.js';
import { assertStoreInScope } from './store-scope.js';
import { findStore } from './store.repository.js';
import { cashSessionOpenOnRegister, registerNameTaken } from './tenancy.errors.js';

const NAME_UNIQUE = 'registers_tenant_id_store_id_name_key';

/** Registers (tills) of a store. Managers work only with the registers of their stores. */
@Injectable()
export class RegisterService {
  constructor(@Inject(Database) private readonly db: Database) {}

  list(ctx: RequestContext, storeId: string): Promise<Register[]> {
    return this.db.tenant(ctx, async (tx) => {
      await this.storeInScope(tx, ctx, storeId);
      return (await listRegisters(tx, ctx.tenantId, storeId)).map(toRegister);
    });
  }

  create(ctx: RequestContext, storeId: string, input: CreateRegisterInput): Promise<Register> {
    return this.db.tenant(ctx, async (tx) => {
      await this.storeInScope(tx, ctx, storeId);
      if (await registerIdByName(tx, ctx.tenantId, storeId, input.name)) throw registerNameTaken();
      const row = await insertRegister(tx, {
        tenant_id: ctx.tenantId,
        id: randomUUID(),
        store_id: storeId,
        name: input.name,
        active: input.active,
      }).catch(rethrowNameTaken);
      const register = toRegister(row);
      await recordAudit(tx, ctx, {
        action: 'register.created',
        entityType: 'register',
        entityId: register.id,
        storeIds: [register.storeId],
        data: { register },
      });
      return register;
    });
  }

  update(ctx: RequestContext, id: string, input: UpdateRegisterInput): Promise<Register> {
    return this.db.tenant(ctx, async (tx) => {
      const current = await findRegisterForUpdate(tx, ctx.tenantId, id);
      if (!current) throw DomainError.notFound('register');
      assertStoreInScope(ctx, current.store_id);
      // The row lock above orders this against an open (which locks the register FOR SHARE): an open that
      // committed first is seen here, one that comes later waits and sees the register inactive.
      if (
        input.active === false &&
        current.active &&
        (await registerHasOpenCashSession(tx, ctx.tenantId, id))
      ) {
        throw cashSessionOpenOnRegister();
      }
      if (input.name !== undefined && input.name !== current.name) {
        if (await registerIdByName(tx, ctx.tenantId, current.store_id, input.name)) throw registerNameTaken();
      }
      const row = await updateRegister(tx, ctx.tenantId, id, {
        name: input.name,
        active: input.active,
      }).catch(rethrowNameTaken);
      const after = toRegister(row);
      await recordAudit(tx, ctx, {
        action: 'register.updated',
        entityType: 'register',
        entityId: id,
        storeIds: [current.store_id],
        data: { changes: changes(toRegister(current), after) },
      });
      return after;
    });
  }

  private async storeInScope(tx: Tx, ctx: RequestContext, storeId: string): Promise<void> {
    if (!(await findStore(tx, ctx.tenantId, storeId))) throw DomainError.notFound('store');
    assertStoreInScope(ctx, storeId);
  }
}

function rethrowNameTaken(e: unknown): never {
  throw isUniqueViolation(e, NAME_UNIQUE) ? registerNameTaken() : e;
}

function toRegister(row: RegisterRow): Register {
  return {
    id: row.id,
    storeId: row.store_id,
    name: row.name,
    active: row.active,
    createdAt: row.created_at.toISOString(),
  };
}
