import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type CashMovementInput,
  type CashSession,
  type CashSessionSummary,
  type CloseCashSessionInput,
  denominationsOf,
} from '@zakpos/contracts';
import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Cursors, cursorKind, seqKey } from '../common/paging/cursor.js';
import { Database, type Tx } from '../db/database.js';
import { isUniqueViolation, pgError } from '../db/pg-error.js';
import { recordEvents } from '../events/outbox.js';
import { sessionClosed, sessionOpened } from '../events/session-events.js';
import { loadStore } from '../tenancy/store-access.js';
import { cashSessionAlreadyOpen, cashSessionClosed, noOpenCashSession } from './cash.errors.js';
import { postCashMovement, postCashSessionClosed, postCashSessionOpened } from './cash-journal.js';
import {
  type CashSessionRow,
  closeCashSessionRow,
  findOpenCashSession,
  insertCashMovement,
  insertCashSession,
  listCashMovements,
  listStoreCashSessions,
} from './cash-session.repository.js';
import { cashReportOf } from './cash-report.js';
import { expectedCash } from './expected-cash.js';
import { insertZReport, takeZNumber } from './z-report.repository.js';
import { loadRegister, loadSession } from './cash-access.js';

const sessionCursor = cursorKind('cash-sessions', seqKey);

@Injectable()
export class CashSessionService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Cursors) private readonly cursors: Cursors,
  ) {}

  open(ctx: RequestContext, registerId: string, openingFloat: number): Promise<CashSession> {
    return this.db
      .tenant(ctx, async (tx) => {
        // Locked (shared) until commit: a deactivation of the register waits for this open, or this open
        // waits for it and sees the register inactive (tenancy/register.service.ts).
        const register = await loadRegister(tx, ctx, registerId, { lock: 'share' });
        if (!register.active) throw new DomainError('INVALID_STATE', 'the register is inactive');
        if (await findOpenCashSession(tx, ctx.tenantId, registerId)) throw cashSessionAlreadyOpen();
        const row = await insertCashSession(tx, {
          tenant_id: ctx.tenantId,
          id: randomUUID(),
          store_id: register.store_id,
          register_id: registerId,
          opened_by: ctx.userId,
          opening_float: openingFloat,
        });
        await postCashSessionOpened(tx, ctx, { id: row.id, storeId: row.store_id, openingFloat });
        await recordAudit(tx, ctx, {
          action: 'cash_session.opened',
          entityType: 'cash_session',
          entityId: row.id,
          storeIds: [row.store_id],
          data: { registerId, openingFloat },
        });
        await recordEvents(tx, ctx, [
          sessionOpened({ sessionId: row.id, storeId: row.store_id, registerId: row.register_id }),
        ]);
        return toSession(tx, ctx, row);
      })
      .catch((e: unknown) => {
        // Two opens at once: the partial unique index lets one through.
        if (isUniqueViolation(e) && pgError(e)?.constraint === 'cash_sessions_one_open') {
          throw cashSessionAlreadyOpen();
        }
        throw e;
      });
  }

  current(ctx: RequestContext, registerId: string): Promise<CashSession> {
    return this.db.tenant(ctx, async (tx) => {
      await loadRegister(tx, ctx, registerId);
      const row = await findOpenCashSession(tx, ctx.tenantId, registerId);
      if (!row) throw noOpenCashSession();
      return toSession(tx, ctx, row);
    });
  }

  get(ctx: RequestContext, id: string): Promise<CashSession> {
    return this.db.tenant(ctx, async (tx) => toSession(tx, ctx, await loadSession(tx, ctx, id)));
  }

  addMovement(ctx: RequestContext, id: string, input: CashMovementInput): Promise<CashSession> {
    return this.db.tenant(ctx, async (tx) => {
      const session = await loadSession(tx, ctx, id, { lock: true });
      if (session.closed_at) throw cashSessionClosed();
      const cash = await expectedCash(tx, ctx, session);
      if (input.kind === 'cash_out' && input.amount > cash.expected) {
        throw new DomainError('INVALID_STATE', `the till holds ${cash.expected}, less than ${input.amount}`, {
          amount: [`more than the ${cash.expected} the till should hold`],
        });
      }
      // The session's totals are exact numbers (in JSON and in expectedCash's sum, which adds the float and the
      // cash in first) only up to MAX_SAFE_INTEGER: past it, refuse the amount.
      const grown =
        input.kind === 'cash_in' ? [session.opening_float + cash.cashIn, cash.expected] : [cash.cashOut];
      if (grown.some((total) => total + input.amount > Number.MAX_SAFE_INTEGER)) {
        throw new DomainError('VALIDATION_FAILED', 'invalid body: amount', {
          amount: [`would take the session's cash past ${Number.MAX_SAFE_INTEGER} minor units`],
        });
      }
      const m = await insertCashMovement(tx, {
        tenant_id: ctx.tenantId,
        id: randomUUID(),
        session_id: id,
        kind: input.kind,
        amount: input.amount,
        reason_code: input.reasonCode,
        note: input.note ?? null,
        created_by: ctx.userId,
      });
      await postCashMovement(tx, ctx, {
        id: m.id,
        storeId: session.store_id,
        kind: m.kind,
        amount: m.amount,
        reasonCode: m.reason_code,
      });
      await recordAudit(tx, ctx, {
        action: 'cash_session.movement',
        entityType: 'cash_session',
        entityId: id,
        storeIds: [session.store_id],
        data: { movementId: m.id, kind: m.kind, amount: m.amount, reasonCode: m.reason_code },
      });
      return toSession(tx, ctx, session);
    });
  }

  close(ctx: RequestContext, id: string, input: CloseCashSessionInput): Promise<CashSession> {
    return this.db.tenant(ctx, async (tx) => {
      const session = await loadSession(tx, ctx, id, { lock: true });
      if (session.closed_at) throw cashSessionClosed();
      const counted = await countedCash(tx, ctx.tenantId, input);
      const { expected } = await expectedCash(tx, ctx, session);
      const closed = await closeCashSessionRow(tx, ctx.tenantId, id, {
        closed_by: ctx.userId,
        counted: counted.lines === null ? null : JSON.stringify(counted.lines),
        counted_total: counted.total,
        expected_total: expected,
        over_short: counted.total - expected,
      });
      await postCashSessionClosed(tx, ctx, {
        id,
        storeId: session.store_id,
        counted: counted.total,
        expected,
      });
      // The Z report: the session's figures as they are at closing, numbered and stored once.
      const z = await cashReportOf(tx, ctx, closed, {
        number: await takeZNumber(tx, ctx.tenantId, session.register_id),
      });
      await insertZReport(tx, { tenantId: ctx.tenantId, id: randomUUID(), createdBy: ctx.userId, report: z });
      await recordAudit(tx, ctx, {
        action: 'cash_session.closed',
        entityType: 'cash_session',
        entityId: id,
        storeIds: [session.store_id],
        data: {
          countedTotal: counted.total,
          expectedTotal: expected,
          overShort: counted.total - expected,
          zNumber: z.number,
        },
      });
      await recordEvents(tx, ctx, [
        sessionClosed({ sessionId: id, storeId: session.store_id, registerId: session.register_id }),
      ]);
      return toSession(tx, ctx, closed);
    });
  }

  listForStore(
    ctx: RequestContext,
    storeId: string,
    query: { cursor?: string; limit: number },
  ): Promise<{ items: CashSessionSummary[]; nextCursor: string | null }> {
    const after =
      query.cursor === undefined
        ? undefined
        : this.cursors.decode(ctx.tenantId, sessionCursor, query.cursor)[0];
    return this.db.tenant(ctx, async (tx) => {
      await loadStore(tx, ctx, storeId);
      const rows = await listStoreCashSessions(tx, ctx.tenantId, storeId, {
        // A register session sees its own register's sessions only.
        ...(ctx.registerId === null ? {} : { registerId: ctx.registerId }),
        afterSeq: after,
        limit: query.limit + 1,
      });
      const items: CashSessionSummary[] = [];
      for (const row of rows) items.push(await toSummary(tx, ctx, row));
      const page = this.cursors.page(
        ctx.tenantId,
        sessionCursor,
        rows,
        query.limit,
        (r) => r,
        (r) => [r.seq] as [number],
      );
      return { items: items.slice(0, page.items.length), nextCursor: page.nextCursor };
    });
  }
}

/** The counted cash: by denomination of the tenant's currency, by total, or both when they agree. */
async function countedCash(
  tx: Tx,
  tenantId: string,
  input: CloseCashSessionInput,
): Promise<{ lines: { value: number; count: number }[] | null; total: number }> {
  if (input.denominations === undefined) return { lines: null, total: input.countedTotal! };
  const { currency } = await tx
    .selectFrom('tenants')
    .select('currency')
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const known = denominationsOf(currency);
  if (!known) {
    throw DomainError.validation(
      'denominations',
      `no notes and coins known for ${currency}: send countedTotal`,
    );
  }
  const seen = new Set<number>();
  input.denominations.forEach((d, i) => {
    if (!known.includes(d.value)) {
      throw DomainError.validation(`denominations.${i}.value`, `not a note or coin of ${currency}`);
    }
    if (seen.has(d.value)) throw DomainError.validation(`denominations.${i}.value`, 'counted twice');
    seen.add(d.value);
  });
  const lines = [...input.denominations].sort((a, b) => b.value - a.value);
  const total = lines.reduce((sum, d) => sum + d.value * d.count, 0);
  if (!Number.isSafeInteger(total)) throw DomainError.validation('denominations', 'the total is too large');
  if (input.countedTotal !== undefined && input.countedTotal !== total) {
    throw DomainError.validation('countedTotal', `does not match the denominations, which sum to ${total}`);
  }
  return { lines, total };
}

async function toSummary(tx: Tx, ctx: RequestContext, row: CashSessionRow): Promise<CashSessionSummary> {
  const expected = row.expected_total ?? (await expectedCash(tx, ctx, row)).expected;
  return {
    id: row.id,
    storeId: row.store_id,
    registerId: row.register_id,
    status: row.closed_at ? 'closed' : 'open',
    openedBy: row.opened_by,
    openedAt: row.opened_at.toISOString(),
    openingFloat: row.opening_float,
    closedBy: row.closed_by,
    closedAt: row.closed_at?.toISOString() ?? null,
    counted: row.counted,
    countedTotal: row.counted_total,
    expectedTotal: expected,
    overShort: row.over_short,
  };
}

async function toSession(tx: Tx, ctx: RequestContext, row: CashSessionRow): Promise<CashSession> {
  const movements = await listCashMovements(tx, ctx.tenantId, row.id);
  const { cashIn, cashOut } = await expectedCash(tx, ctx, row);
  return {
    ...(await toSummary(tx, ctx, row)),
    cashIn,
    cashOut,
    movements: movements.map((m) => ({
      id: m.id,
      kind: m.kind,
      amount: m.amount,
      reasonCode: m.reason_code,
      note: m.note,
      createdBy: m.created_by,
      createdAt: m.created_at.toISOString(),
    })),
  };
}
