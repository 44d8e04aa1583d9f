import { describe, expect, it } from 'vitest';
import { createFormatters, decimalString } from './format.js';

describe('decimalString', () => {
  it.each([
    [123450, 2, '1234.50'],
    [-5, 2, '-0.05'],
    [0, 2, '0.00'],
    [7, 0, '7'],
    [1234, 3, '1.234'],
    [Number.MAX_SAFE_INTEGER, 2, '90071992547409.91'],
  ])('%i with %i digits is %s', (units, digits, expected) => {
    expect(decimalString(units, digits)).toBe(expected);
  });
});

describe('money in the tenant locale, with the currency digits', () => {
  it.each([
    ['en-US', 'USD', 123456, '$1,234.56'],
    ['de-CH', 'CHF', 123456, "CHF\u00a01'234.56"],
    ['fr-FR', 'EUR', 123456, '1\u202f234,56\u00a0€'],
    ['ja-JP', 'JPY', 123456, '￥123,456'],
    ['en-KW', 'KWD', 1234, 'KWD\u00a01.234'],
  ])('%s %s %i → %s', (locale, currency, units, expected) => {
    expect(createFormatters(locale, currency, 'UTC').money(units)).toBe(expected);
  });

  it('formats amounts beyond float precision exactly', () => {
    expect(createFormatters('en-US', 'USD', 'UTC').money(Number.MAX_SAFE_INTEGER)).toBe(
      '$90,071,992,547,409.91',
    );
  });

  it('shows reductions with a minus and adjustments with their sign', () => {
    const f = createFormatters('en-US', 'USD', 'UTC');
    expect(f.reduction(250)).toBe('-$2.50');
    expect(f.signed(2)).toBe('+$0.02');
    expect(f.signed(-3)).toBe('-$0.03');
    expect(f.signed(0)).toBe('$0.00');
  });
});

describe('quantities, rates and dates', () => {
  it('prints items whole and weights with three decimals', () => {
    const f = createFormatters('de-CH', 'CHF', 'Europe/Zurich');
    expect(f.quantity(3000, 'each')).toBe('3');
    expect(f.quantity(450, 'kg')).toBe('0.450 kg');
    expect(createFormatters('fr-FR', 'EUR', 'UTC').quantity(1250, 'kg')).toBe('1,250\u202fkg');
  });

  it('prints parts per million as a percentage', () => {
    expect(createFormatters('en-US', 'USD', 'UTC').rate(81000)).toBe('8.1%');
    expect(createFormatters('en-US', 'USD', 'UTC').rate(99750)).toBe('9.975%');
    expect(createFormatters('fr-FR', 'EUR', 'UTC').rate(55000)).toBe('5,5\u00a0%');
  });

  it('prints the instant in the store time zone, not the machine one', () => {
    const instant = '2026-03-29T00:30:00Z'; // Zurich switches to summer time at 01:00 UTC that day
    expect(createFormatters('de-CH', 'CHF', 'Europe/Zurich').dateTime(instant)).toBe('29.03.2026, 01:30');
    expect(createFormatters('de-CH', 'CHF', 'Europe/Zurich').dateTime('2026-03-29T01:30:00Z')).toBe(
      '29.03.2026, 03:30',
    );
    expect(createFormatters('ja-JP', 'JPY', 'Asia/Tokyo').dateTime(instant)).toBe('2026/03/29 09:30');
    expect(createFormatters('en-US', 'USD', 'America/Los_Angeles').dateTime(instant)).toBe(
      '03/28/2026, 05:30 PM',
    );
  });
});
