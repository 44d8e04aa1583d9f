import { Inject, Injectable } from '@nestjs/common';
import type { Updateable } from 'kysely';
import type { TenantSettings, UpdateTenantInput } from '@zakpos/contracts';
import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { TenantsTable } from '../db/core.tables.js';
import { Database } from '../db/database.js';
import { pgError, SqlState } from '../db/pg-error.js';
import { changes } from '../common/audit/audit-diff.js';
import {
  findTenant,
  findTenantForUpdate,
  type TenantRow,
  updateTenant,
} from './tenant-settings.repository.js';

/**
 * Tenant-wide settings: name, currency, locale, tax-inclusive prices, cash rounding, weighted barcode prefixes.
 *
 * Currency: every amount is in minor units of the tenant's currency, so once the tenant has a sale its
 * currency is fixed (409 CURRENCY_LOCKED, decided by the database: migration 0014). Before that, a change
 * reinterprets the catalog's amounts.
 */
@Injectable()
export class TenantSettingsService {
  constructor(@Inject(Database) private readonly db: Database) {}

  get(ctx: RequestContext): Promise<TenantSettings> {
    return this.db.tenant(ctx, async (tx) => toSettings(await this.load(findTenant(tx, ctx.tenantId))));
  }

  update(ctx: RequestContext, input: UpdateTenantInput): Promise<TenantSettings> {
    return this.db.tenant(ctx, async (tx) => {
      const before = toSettings(await this.load(findTenantForUpdate(tx, ctx.tenantId)));
      const after = toSettings(
        await updateTenant(tx, ctx.tenantId, toColumns(input)).catch((e: unknown) => {
          if (pgError(e)?.code !== SqlState.CURRENCY_LOCKED) throw e;
          throw new DomainError('CURRENCY_LOCKED', 'the tenant has sales: its currency cannot change', {
            currency: ['cannot change once the tenant has sales'],
          });
        }),
      );
      await recordAudit(tx, ctx, {
        action: 'tenant.updated',
        entityType: 'tenant',
        entityId: ctx.tenantId,
        data: { changes: changes(before, after) },
      });
      return after;
    });
  }

  private async load(row: Promise<TenantRow | undefined>): Promise<TenantRow> {
    const tenant = await row;
    if (!tenant) throw DomainError.notFound('tenant');
    return tenant;
  }
}

function toColumns(input: UpdateTenantInput): Updateable<TenantsTable> {
  return {
    name: input.name,
    currency: input.currency,
    locale: input.locale,
    prices_include_tax: input.pricesIncludeTax,
    cash_rounding_increment: input.cashRoundingIncrement,
    max_cashier_discount_bp: input.maxCashierDiscountBp,
    weighted_barcode_prefixes:
      input.weightedBarcodePrefixes === undefined ? undefined : JSON.stringify(input.weightedBarcodePrefixes),
  };
}

function toSettings(row: TenantRow): TenantSettings {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency,
    locale: row.locale,
    pricesIncludeTax: row.prices_include_tax,
    cashRoundingIncrement: row.cash_rounding_increment,
    maxCashierDiscountBp: row.max_cashier_discount_bp,
    weightedBarcodePrefixes: row.weighted_barcode_prefixes,
    createdAt: row.created_at.toISOString(),
  };
}
