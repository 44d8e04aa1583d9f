import { sql } from 'kysely';
import type { TenantScope } from '../common/context/request-context.js';
import type { Tx } from '../db/database.js';

/**
 * A new tenant's standard chart of accounts (cash on hand, card and other tender clearing, inventory,
 * sales revenue, tax payable, COGS, shrinkage, over/short, rounding, opening equity...). The chart is
 * defined once, in migration 0011 (app_create_chart_of_accounts), which also gave it to every tenant
 * that existed before.
 */
export async function createChartOfAccounts(tx: Tx, scope: TenantScope): Promise<void> {
  await sql`select app_create_chart_of_accounts(${scope.tenantId}::uuid)`.execute(tx);
}
