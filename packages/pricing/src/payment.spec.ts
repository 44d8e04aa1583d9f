import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundCash, settlePayment, type TenderInput } from './payment.js';

const NUM_RUNS = 2000;

describe('roundCash', () => {
  it.each([
    [1231, 5, 1230],
    [1232, 5, 1230],
    [1233, 5, 1235],
    [1234, 5, 1235],
    [1236, 5, 1235],
    [1238, 5, 1240],
    [1235, 10, 1240],
    [1234, 10, 1230],
    [1234, 1, 1234],
  ])('%i to the nearest %i is %i', (amount, increment, rounded) => {
    expect(roundCash(amount, increment)).toBe(rounded);
  });

  it('refuses an increment of zero', () => {
    expect(() => roundCash(100, 0)).toThrow(expect.objectContaining({ code: 'INVALID_INCREMENT' }));
  });
});

describe('settlePayment', () => {
  it('CHF 12.34 in cash rounds to 12.35 and gives change from a 20 note', () => {
    const s = settlePayment({
      amountDue: 1234,
      cashIncrement: 5,
      tenders: [{ id: 'cash', kind: 'cash', amount: 2000 }],
    });
    expect(s).toEqual({
      amountDue: 1234,
      nonCash: 0,
      cashDue: 1235,
      cashRounding: 1,
      cashTendered: 2000,
      cashKept: 1235,
      change: 765,
      outstanding: 0,
      settled: true,
    });
  });

  it('CAD split tender: the card pays exactly, only the cash part rounds (13.47 → 13.45)', () => {
    const s = settlePayment({
      amountDue: 2347,
      cashIncrement: 5,
      tenders: [
        { id: 'visa', kind: 'card', amount: 1000 },
        { id: 'cash', kind: 'cash', amount: 1500 },
      ],
    });
    expect(s).toMatchObject({ nonCash: 1000, cashDue: 1345, cashRounding: -2, change: 155, settled: true });
  });

  it('a card alone pays the exact amount, with no rounding', () => {
    const s = settlePayment({
      amountDue: 2347,
      cashIncrement: 5,
      tenders: [{ id: 'visa', kind: 'card', amount: 2347 }],
    });
    expect(s).toMatchObject({ cashDue: 0, cashRounding: 0, change: 0, outstanding: 0, settled: true });
  });

  it('too little cash leaves an outstanding amount and no change', () => {
    const s = settlePayment({
      amountDue: 2347,
      cashIncrement: 5,
      tenders: [{ id: 'cash', kind: 'cash', amount: 2000 }],
    });
    expect(s).toMatchObject({ cashDue: 2345, cashKept: 2000, change: 0, outstanding: 345, settled: false });
  });

  it('refuses a non-cash overpayment, naming the tender', () => {
    const tenders: TenderInput[] = [
      { id: 'gift-card', kind: 'other', amount: 1000 },
      { id: 'visa', kind: 'card', amount: 1500 },
    ];
    expect(() => settlePayment({ amountDue: 2347, cashIncrement: 5, tenders })).toThrow(
      expect.objectContaining({
        code: 'NON_CASH_OVERPAYMENT',
        field: 'tenders[1]',
        message: expect.stringContaining('"visa"'),
      }),
    );
  });

  it('keeps its books straight for any tenders (property)', () => {
    const tenderArb: fc.Arbitrary<TenderInput> = fc.record({
      id: fc.string({ maxLength: 5 }),
      kind: fc.constantFrom('cash' as const, 'card' as const, 'other' as const),
      amount: fc.integer({ min: 0, max: 50_000 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.constantFrom(1, 5, 10, 25, 100),
        fc.array(tenderArb, { maxLength: 5 }),
        (amountDue, cashIncrement, tenders) => {
          const nonCashTenders = tenders.filter((t) => t.kind !== 'cash');
          const nonCash = nonCashTenders.reduce((a, t) => a + t.amount, 0);
          if (nonCash > amountDue) {
            let running = 0;
            const over = tenders.findIndex((t) => t.kind !== 'cash' && (running += t.amount) > amountDue);
            expect(() => settlePayment({ amountDue, cashIncrement, tenders })).toThrow(
              expect.objectContaining({ code: 'NON_CASH_OVERPAYMENT', field: `tenders[${over}]` }),
            );
            return;
          }
          const s = settlePayment({ amountDue, cashIncrement, tenders });
          const hasCash = tenders.some((t) => t.kind === 'cash');
          expect(s.nonCash).toBe(nonCash);
          expect(s.change >= 0 && s.change <= s.cashTendered).toBe(true);
          expect(s.settled).toBe(s.outstanding === 0);
          if (s.change > 0) expect(s.settled).toBe(true);
          if (hasCash) {
            expect(s.cashDue % cashIncrement).toBe(0);
            expect(s.cashDue).toBe(amountDue - nonCash + s.cashRounding);
            expect(2 * Math.abs(s.cashRounding) <= cashIncrement).toBe(true);
            expect(s.cashKept + s.change).toBe(s.cashTendered);
          } else {
            expect([s.cashRounding, s.change, s.cashKept]).toEqual([0, 0, 0]);
            expect(s.outstanding).toBe(amountDue - nonCash);
          }
          if (s.settled) expect(s.nonCash + s.cashKept).toBe(amountDue + s.cashRounding);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
