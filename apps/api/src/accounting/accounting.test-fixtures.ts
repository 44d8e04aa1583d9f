import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Database } from '../db/database.js';

/** Test support: product costs and what the journal holds, read straight from the tables. */

export async function setCosts(
  app: NestFastifyApplication,
  tenantId: string,
  costs: Record<string, number>,
): Promise<void> {
  await app.get(Database).tenant({ tenantId }, async (tx) => {
    for (const [id, cost] of Object.entries(costs)) {
      await tx
        .updateTable('products')
        .set({ cost })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    }
  });
}

export interface PostedLine {
  purpose: string | null;
  storeId: string | null;
  debit: number;
  credit: number;
}

/** The lines of the entry posted for a source (empty: it posted none), by line number. */
export function entryOf(
  app: NestFastifyApplication,
  tenantId: string,
  sourceType: string,
  sourceId: string,
): Promise<PostedLine[]> {
  return app.get(Database).tenant({ tenantId }, async (tx) => {
    const rows = await tx
      .selectFrom('journal_lines as l')
      .innerJoin('journal_entries as e', (j) =>
        j.onRef('e.tenant_id', '=', 'l.tenant_id').onRef('e.id', '=', 'l.entry_id'),
      )
      .innerJoin('accounts as a', (j) =>
        j.onRef('a.tenant_id', '=', 'l.tenant_id').onRef('a.id', '=', 'l.account_id'),
      )
      .select(['a.purpose', 'l.store_id', 'l.debit', 'l.credit'])
      .where('e.source_type', '=', sourceType)
      .where('e.source_id', '=', sourceId)
      .orderBy('l.line_no')
      .execute();
    return rows.map((r) => ({ purpose: r.purpose, storeId: r.store_id, debit: r.debit, credit: r.credit }));
  });
}

/** Σ debit − Σ credit per account purpose, over the whole journal. */
export function balances(app: NestFastifyApplication, tenantId: string): Promise<Map<string, number>> {
  return app.get(Database).tenant({ tenantId }, async (tx) => {
    const rows = await tx
      .selectFrom('journal_lines as l')
      .innerJoin('accounts as a', (j) =>
        j.onRef('a.tenant_id', '=', 'l.tenant_id').onRef('a.id', '=', 'l.account_id'),
      )
      .select((eb) => ['a.purpose', eb.fn.sum<string>(eb('l.debit', '-', eb.ref('l.credit'))).as('balance')])
      .groupBy('a.purpose')
      .execute();
    return new Map(rows.map((r) => [r.purpose ?? '', Number(r.balance)]));
  });
}
