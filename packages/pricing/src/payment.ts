import { PricingError } from './errors.js';
import { readCount, sum, toSafeNumber } from './money.js';

export type TenderKind = 'cash' | 'card' | 'other';

export interface TenderInput {
  /** Names the tender in errors and on the receipt, e.g. "visa", "voucher-123". */
  readonly id: string;
  readonly kind: TenderKind;
  /** Minor units handed over (cash) or charged (card, other). */
  readonly amount: number;
}

export interface PaymentInput {
  /** The cart's gross total, in minor units. */
  readonly amountDue: number;
  readonly tenders: readonly TenderInput[];
  /** The tenant's cash increment in minor units: 1 = no cash rounding, 5 = CHF/CAD 0.05, 10 = 0.10. */
  readonly cashIncrement: number;
}

export interface Settlement {
  readonly amountDue: number;
  /** Sum of the card and other tenders (never more than amountDue). */
  readonly nonCash: number;
  /** What was left for cash, rounded to the increment; 0 when no cash tender is given. */
  readonly cashDue: number;
  /** cashDue − (amountDue − nonCash): what cash rounding added (> 0) or forgave (< 0). 0 without cash. */
  readonly cashRounding: number;
  readonly cashTendered: number;
  /** Cash kept in the drawer: min(cashTendered, cashDue). */
  readonly cashKept: number;
  /** Cash handed back: cashTendered − cashDue when positive. Change only ever comes from cash. */
  readonly change: number;
  /** Still to pay (0 when settled). */
  readonly outstanding: number;
  readonly settled: boolean;
}

/**
 * Rounds a cash amount to the nearest multiple of `increment`, halves up (increment 5: 1-2 down, 3-4 up; increment
 * 10: 5 up), as nickel rounding in Canada and 0.05 rounding in Switzerland do.
 */
export function roundCash(amount: number, increment: number): number {
  const value = readCount(amount, 'amount', 'INVALID_AMOUNT');
  const step = readCount(increment, 'cashIncrement', 'INVALID_INCREMENT');
  if (step === 0n) throw new PricingError('INVALID_INCREMENT', 'cashIncrement', 'must be at least 1');
  const lower = (value / step) * step;
  return toSafeNumber(value - lower >= step - (value - lower) ? lower + step : lower, 'amount');
}

/**
 * Settles a sale against its tenders. Non-cash tenders pay exactly and may not exceed what is due (NON_CASH_OVERPAYMENT
 * names the tender that goes over). When the tenders include cash, whatever the non-cash tenders leave is due in
 * cash and is rounded to the cash increment; only that part rounds. Change is the cash given beyond the cash due.
 */
export function settlePayment(input: PaymentInput): Settlement {
  const amountDue = readCount(input.amountDue, 'amountDue', 'INVALID_AMOUNT');
  const increment = readCount(input.cashIncrement, 'cashIncrement', 'INVALID_INCREMENT');
  if (increment === 0n) throw new PricingError('INVALID_INCREMENT', 'cashIncrement', 'must be at least 1');
  let nonCash = 0n;
  const cash: bigint[] = [];
  input.tenders.forEach((tender, index) => {
    const field = `tenders[${index}]`;
    const amount = readCount(tender.amount, `${field}.amount`, 'INVALID_AMOUNT');
    if (tender.kind === 'cash') {
      cash.push(amount);
      return;
    }
    if (tender.kind !== 'card' && tender.kind !== 'other') {
      throw new PricingError('INVALID_OPTION', `${field}.kind`, 'must be "cash", "card" or "other"');
    }
    nonCash += amount;
    if (nonCash > amountDue) {
      throw new PricingError(
        'NON_CASH_OVERPAYMENT',
        field,
        `${tender.kind} tender "${tender.id}" brings non-cash payments to ${nonCash} over the ${amountDue} due`,
      );
    }
  });
  const exactLeft = amountDue - nonCash;
  const hasCash = cash.length > 0;
  const cashDue = hasCash ? BigInt(roundCash(Number(exactLeft), Number(increment))) : 0n;
  const cashTendered = sum(cash);
  const cashKept = cashTendered < cashDue ? cashTendered : cashDue;
  const change = cashTendered - cashKept;
  const outstanding = hasCash ? cashDue - cashKept : exactLeft;
  return {
    amountDue: Number(amountDue),
    nonCash: Number(nonCash),
    cashDue: Number(cashDue),
    cashRounding: hasCash ? Number(cashDue - exactLeft) : 0,
    cashTendered: toSafeNumber(cashTendered, 'tenders'),
    cashKept: Number(cashKept),
    change: Number(change),
    outstanding: Number(outstanding),
    settled: outstanding === 0n,
  };
}
