import { sql } from 'kysely';
import type { TenantScope } from '../common/context/request-context.js';
import type { Tx } from '../db/database.js';

/** The system accounts that exist once per key: a clearing account per other tender, a payable per tax. */
export type KeyedAccount =
  | { purpose: 'other_tender_clearing'; tenderKey: string; name: string }
  | { purpose: 'sales_tax_payable'; taxRateKey: string; name: string };

const BASE = {
  other_tender_clearing: { code: '1020', type: 'asset' },
  sales_tax_payable: { code: '2100', type: 'liability' },
} as const;

/**
 * The account of a tender or a tax rate, created the first time it is needed, as a sub-account of its
 * purpose's base account: 1020.1, 1020.2... for tenders, 2100.1... for tax rates. Two transactions creating
 * one at once: the (tenant, purpose, key) unique index lets one win and the other finds it; a code taken by
 * the other key (or by the tenant's own account) moves on to the next number.
 */
export async function ensureKeyedAccount(tx: Tx, scope: TenantScope, account: KeyedAccount): Promise<string> {
  const base = BASE[account.purpose];
  const tenderKey = account.purpose === 'other_tender_clearing' ? account.tenderKey : null;
  const taxRateKey = account.purpose === 'sales_tax_payable' ? account.taxRateKey : null;
  for (let attempt = 0; attempt < 20; attempt++) {
    const found = await tx
      .selectFrom('accounts')
      .select('id')
      .where('tenant_id', '=', scope.tenantId)
      .where('purpose', '=', account.purpose)
      .where(sql<boolean>`coalesce(tender_key, '') = ${tenderKey ?? ''}`)
      .where(sql<boolean>`coalesce(tax_rate_key, '') = ${taxRateKey ?? ''}`)
      .executeTakeFirst();
    if (found) return found.id;
    await sql`
      insert into accounts (tenant_id, code, name, type, purpose, tender_key, tax_rate_key)
      select ${scope.tenantId}::uuid, ${base.code} || '.' || (count(*) + 1 + ${attempt}), ${account.name.slice(0, 120)},
             ${base.type}, ${account.purpose}, ${tenderKey}, ${taxRateKey}
        from accounts
       where tenant_id = ${scope.tenantId}::uuid and purpose = ${account.purpose}
         and (tender_key is not null or tax_rate_key is not null)
      on conflict do nothing`.execute(tx);
  }
  throw new Error(`no free account code for the ${account.purpose} account of ${tenderKey ?? taxRateKey}`);
}
