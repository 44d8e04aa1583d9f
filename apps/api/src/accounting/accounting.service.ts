import { Inject, Injectable } from '@nestjs/common';
import type {
  Account,
  InventoryCheck,
  JournalEntry,
  JournalQuery,
  LedgerQuery,
  ProfitAndLoss,
  ProfitAndLossQuery,
  TrialBalance,
  TrialBalanceQuery,
} from '@zakpos/contracts';
import { sql } from 'kysely';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Cursors, cursorKind, seqKey } from '../common/paging/cursor.js';
import { Database } from '../db/database.js';
import { z } from 'zod';
import {
  accountTotals,
  type AccountRow,
  findAccount,
  inTransitValue,
  linesOfEntries,
  listAccounts,
  listEntries,
  listLedger,
  onHandValueByStore,
  purposeBalanceByStore,
} from './accounting.repository.js';

const journalCursor = cursorKind('journal', seqKey);
const ledgerCursor = cursorKind(
  'account-ledger',
  z.tuple([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.number().int().min(1).max(100_000)]),
);

/** The books of a tenant, read only: the chart, the journal, ledgers, trial balance, P&L, inventory check. */
@Injectable()
export class AccountingService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Cursors) private readonly cursors: Cursors,
  ) {}

  listAccounts(ctx: RequestContext): Promise<{ items: Account[] }> {
    return this.db.tenant(ctx, async (tx) => ({
      items: (await listAccounts(tx, ctx.tenantId)).map(toAccount),
    }));
  }

  listJournal(ctx: RequestContext, q: JournalQuery) {
    return this.db.tenant(ctx, async (tx) => {
      const beforeSeq =
        q.cursor === undefined ? undefined : this.cursors.decode(ctx.tenantId, journalCursor, q.cursor)[0];
      const rows = await listEntries(tx, ctx.tenantId, {
        from: q.from,
        to: q.to,
        beforeSeq,
        limit: q.limit + 1,
      });
      const lines = await linesOfEntries(
        tx,
        ctx.tenantId,
        rows.slice(0, q.limit).map((r) => r.id),
      );
      const byEntry = new Map<string, typeof lines>();
      for (const l of lines) byEntry.set(l.entry_id, [...(byEntry.get(l.entry_id) ?? []), l]);
      return this.cursors.page(
        ctx.tenantId,
        journalCursor,
        rows,
        q.limit,
        (r): JournalEntry => ({
          id: r.id,
          postedAt: r.posted_at,
          sourceType: r.source_type,
          sourceId: r.source_id,
          memo: r.memo,
          createdBy: r.created_by,
          lines: (byEntry.get(r.id) ?? []).map((l) => ({
            lineNo: l.line_no,
            accountId: l.account_id,
            accountCode: l.code,
            debit: l.debit,
            credit: l.credit,
            storeId: l.store_id,
          })),
        }),
        (r) => [r.seq],
      );
    });
  }

  ledger(ctx: RequestContext, accountId: string, q: LedgerQuery) {
    return this.db.tenant(ctx, async (tx) => {
      if (!(await findAccount(tx, ctx.tenantId, accountId))) throw DomainError.notFound('account');
      const before =
        q.cursor === undefined ? undefined : this.cursors.decode(ctx.tenantId, ledgerCursor, q.cursor);
      const rows = await listLedger(tx, ctx.tenantId, accountId, {
        from: q.from,
        to: q.to,
        before,
        limit: q.limit + 1,
      });
      return this.cursors.page(
        ctx.tenantId,
        ledgerCursor,
        rows,
        q.limit,
        (r) => ({
          entryId: r.entry_id,
          postedAt: r.posted_at,
          sourceType: r.source_type,
          sourceId: r.source_id,
          memo: r.memo,
          lineNo: r.line_no,
          debit: r.debit,
          credit: r.credit,
          storeId: r.store_id,
        }),
        (r) => [r.seq, r.line_no],
      );
    });
  }

  trialBalance(ctx: RequestContext, q: TrialBalanceQuery): Promise<TrialBalance> {
    return this.db.tenant(ctx, async (tx) => {
      const at =
        q.at ??
        (
          await sql<{
            now: string;
          }>`select to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as now`.execute(tx)
        ).rows[0]!.now;
      const rows = await accountTotals(tx, ctx.tenantId, { atOrBefore: at });
      return {
        at,
        accounts: rows.map((r) => ({
          accountId: r.id,
          code: r.code,
          name: r.name,
          type: r.type,
          debit: r.debit,
          credit: r.credit,
          balance: r.debit - r.credit,
        })),
        totalDebit: safeSum(rows.map((r) => r.debit)),
        totalCredit: safeSum(rows.map((r) => r.credit)),
      };
    });
  }

  profitAndLoss(ctx: RequestContext, q: ProfitAndLossQuery): Promise<ProfitAndLoss> {
    return this.db.tenant(ctx, async (tx) => {
      const rows = await accountTotals(tx, ctx.tenantId, {
        from: q.from,
        to: q.to,
        types: ['revenue', 'expense'],
      });
      const line = (r: (typeof rows)[number]) => ({
        accountId: r.id,
        code: r.code,
        name: r.name,
        amount: r.type === 'revenue' ? r.credit - r.debit : r.debit - r.credit,
      });
      const revenue = rows.filter((r) => r.type === 'revenue').map(line);
      const expenses = rows.filter((r) => r.type === 'expense').map(line);
      const totalRevenue = safeSum(revenue.map((l) => l.amount));
      const totalExpenses = safeSum(expenses.map((l) => l.amount));
      return {
        from: q.from ?? null,
        to: q.to ?? null,
        revenue,
        expenses,
        totalRevenue,
        totalExpenses,
        netIncome: totalRevenue - totalExpenses,
      };
    });
  }

  inventoryCheck(ctx: RequestContext): Promise<InventoryCheck> {
    return this.db.tenant(ctx, async (tx) => {
      const booked = await purposeBalanceByStore(tx, ctx.tenantId, 'inventory');
      const onHand = await onHandValueByStore(tx, ctx.tenantId);
      const inTransitBooked = await purposeBalanceByStore(tx, ctx.tenantId, 'inventory_in_transit');
      const inTransit = await inTransitValue(tx, ctx.tenantId);
      const storeIds = [...new Set([...onHand.keys(), ...booked.keys()])]
        .filter((id): id is string => id !== null)
        .sort();
      const valuation = (account: number, stockValue: number) => ({
        account,
        stockValue,
        difference: account - stockValue,
      });
      return {
        inventory: valuation(safeSum([...booked.values()]), safeSum([...onHand.values()])),
        stores: storeIds.map((storeId) => ({
          storeId,
          ...valuation(booked.get(storeId) ?? 0, onHand.get(storeId) ?? 0),
        })),
        inTransit: valuation(safeSum([...inTransitBooked.values()]), inTransit),
      };
    });
  }
}

function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    type: r.type,
    normalBalance: r.type === 'asset' || r.type === 'expense' ? 'debit' : 'credit',
    purpose: r.purpose,
    tenderKey: r.tender_key,
    taxRateKey: r.tax_rate_key,
  };
}

function safeSum(values: readonly number[]): number {
  const sum = values.reduce((s, v) => s + v, 0);
  if (!Number.isSafeInteger(sum)) throw new Error(`amount ${sum} is outside the safe integer range`);
  return sum;
}
