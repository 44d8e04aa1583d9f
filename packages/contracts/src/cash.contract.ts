import { z } from 'zod';
import { idParams, minorUnits, page, pageQuery, text, uuid } from './common.schema.js';
import { endpoint } from './endpoint.js';
import { storeIdParams } from './tenancy.contract.js';

const TAG = 'cash';

/**
 * The notes and coins of a currency, in minor units, largest first. A currency not listed here is
 * counted by total only. Kept as data in the contracts so the till shows the same list the API checks.
 */
export const denominations: Readonly<Record<string, readonly number[]>> = {
  EUR: [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
  USD: [10000, 5000, 2000, 1000, 500, 200, 100, 50, 25, 10, 5, 1],
  GBP: [5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
  CHF: [100000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5],
  JPY: [10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 1],
};

export const denominationsOf = (currency: string): readonly number[] | undefined => denominations[currency];

export const openCashSessionInput = z.strictObject({
  /** The cash put into the till at opening, taken from the store's safe. */
  openingFloat: minorUnits,
});
export type OpenCashSessionInput = z.infer<typeof openCashSessionInput>;

export const cashInReasons = ['float_top_up', 'change_delivery', 'other'] as const;
export const cashOutReasons = ['safe_drop', 'paid_out', 'other'] as const;

export const cashMovementInput = z
  .strictObject({
    kind: z.enum(['cash_in', 'cash_out']),
    amount: minorUnits.min(1),
    /** cash_in: float_top_up, change_delivery, other; cash_out: safe_drop, paid_out (an expense), other. */
    reasonCode: z.enum(['float_top_up', 'change_delivery', 'safe_drop', 'paid_out', 'other']),
    /** Required with reason `other`. */
    note: text().trim().min(1).max(500).nullable().optional(),
  })
  .superRefine((m, ctx) => {
    const allowed: readonly string[] = m.kind === 'cash_in' ? cashInReasons : cashOutReasons;
    if (!allowed.includes(m.reasonCode)) {
      ctx.addIssue({ code: 'custom', path: ['reasonCode'], message: `not a reason for ${m.kind}` });
    }
    if (m.reasonCode === 'other' && m.note == null) {
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'required with reason other' });
    }
  });
export type CashMovementInput = z.infer<typeof cashMovementInput>;

export const denominationCount = z.strictObject({
  /** One note or coin of the tenant's currency, in minor units. */
  value: minorUnits.min(1),
  count: z.number().int().min(0).max(1_000_000),
});
export type DenominationCount = z.infer<typeof denominationCount>;

/** The cash counted at closing: by denomination, by total, or both (then they must agree). */
export const closeCashSessionInput = z
  .strictObject({
    denominations: z.array(denominationCount).min(1).max(50).optional(),
    countedTotal: minorUnits.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.denominations === undefined && c.countedTotal === undefined) {
      ctx.addIssue({ code: 'custom', path: ['countedTotal'], message: 'send denominations or countedTotal' });
    }
  });
export type CloseCashSessionInput = z.infer<typeof closeCashSessionInput>;

export const cashMovement = z.object({
  id: uuid,
  kind: z.enum(['cash_in', 'cash_out']),
  amount: minorUnits,
  reasonCode: z.string(),
  note: z.string().nullable(),
  createdBy: uuid,
  createdAt: z.string(),
});
export type CashMovement = z.infer<typeof cashMovement>;

export const cashSessionSummary = z.object({
  id: uuid,
  storeId: uuid,
  registerId: uuid,
  status: z.enum(['open', 'closed']),
  openedBy: uuid,
  openedAt: z.string(),
  openingFloat: minorUnits,
  closedBy: uuid.nullable(),
  closedAt: z.string().nullable(),
  /** By denomination, largest first; null while open or when counted by total. */
  counted: z.array(denominationCount).nullable(),
  countedTotal: minorUnits.nullable(),
  /** At closing: what the till should have held. While open: what it should hold now. */
  expectedTotal: z.number().int(),
  /** counted − expected: positive over, negative short; null while open. */
  overShort: z.number().int().nullable(),
});
export type CashSessionSummary = z.infer<typeof cashSessionSummary>;

export const cashSession = cashSessionSummary.extend({
  cashIn: minorUnits,
  cashOut: minorUnits,
  movements: z.array(cashMovement),
});
export type CashSession = z.infer<typeof cashSession>;

export const cashEndpoints = {
  openCashSession: endpoint({
    method: 'POST',
    path: '/registers/:id/cash-sessions',
    summary: 'Open the register with a float from the safe (409 CASH_SESSION_OPEN when one is open)',
    tag: TAG,
    access: 'cash.session',
    params: idParams,
    body: openCashSessionInput,
    response: cashSession,
    status: 201,
  }),
  getCurrentCashSession: endpoint({
    method: 'GET',
    path: '/registers/:id/cash-sessions/current',
    summary: "The register's open cash session (409 NO_OPEN_CASH_SESSION when none is open)",
    tag: TAG,
    access: 'cash.session',
    params: idParams,
    response: cashSession,
  }),
  getCashSession: endpoint({
    method: 'GET',
    path: '/cash-sessions/:id',
    summary: 'A cash session with its movements',
    tag: TAG,
    access: 'cash.session',
    params: idParams,
    response: cashSession,
  }),
  addCashMovement: endpoint({
    method: 'POST',
    path: '/cash-sessions/:id/movements',
    summary: 'Cash in or out of an open session, with a reason; returns the session',
    tag: TAG,
    access: 'cash.session',
    params: idParams,
    body: cashMovementInput,
    response: cashSession,
    status: 201,
  }),
  closeCashSession: endpoint({
    method: 'POST',
    path: '/cash-sessions/:id/close',
    summary: 'Close with the cash counted (by denomination or total); over/short is counted − expected',
    tag: TAG,
    access: 'cash.session',
    params: idParams,
    body: closeCashSessionInput,
    response: cashSession,
  }),
  listStoreCashSessions: endpoint({
    method: 'GET',
    path: '/stores/:storeId/cash-sessions',
    summary: "A store's cash sessions, newest first, cursor-paginated",
    tag: TAG,
    access: 'cash.session',
    params: storeIdParams,
    query: pageQuery,
    response: page(cashSessionSummary),
  }),
};
