/**
 * Locale formatting through Intl. Amounts never pass through a float: an integer of minor units is
 * turned into an exact decimal string ("-1234.50"), which Intl.NumberFormat formats as a decimal.
 */

/** "-123450", 2 → "-1234.50"; exact for any safe integer. */
export function decimalString(units: number, digits: number): string {
  const sign = units < 0 ? '-' : '';
  const abs = String(Math.abs(units));
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

// Intl's typings take numbers; at runtime (Intl.NumberFormat v3, Node ≥ 19) a string is formatted as an exact decimal.
function formatDecimal(format: Intl.NumberFormat, decimal: string): string {
  return format.format(decimal as unknown as number);
}

export interface Formatters {
  /** Minor units → "CHF 12.50" in the tenant's locale, with the currency's own number of digits. */
  money(units: number): string;
  /** An adjustment that may go either way, shown with its sign: "+CHF 0.02". */
  signed(units: number): string;
  /** A discount or other reduction, shown with a minus sign. */
  reduction(units: number): string;
  /** Thousandths → "2" for each, "0.450 kg" for weighed goods. */
  quantity(thousandths: number, unit: 'each' | 'kg'): string;
  /** Parts per million → "8.1%", "9.975%". */
  rate(ppm: number): string;
  /** ISO instant → local date and time in the store's zone. */
  dateTime(iso: string): string;
}

export function createFormatters(locale: string, currency: string, timeZone: string): Formatters {
  const moneyFormat = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = moneyFormat.resolvedOptions().maximumFractionDigits ?? 2;
  const signedFormat = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    signDisplay: 'exceptZero',
  });
  const eachFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const kgFormat = new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'kilogram',
    minimumFractionDigits: 3,
    maximumFractionDigits: 3,
  });
  const rateFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 4 });
  const dateFormat = new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });

  const money = (units: number): string => formatDecimal(moneyFormat, decimalString(units, digits));
  return {
    money,
    signed: (units) => formatDecimal(signedFormat, decimalString(units, digits)),
    reduction: (units) => money(units === 0 ? 0 : -Math.abs(units)),
    quantity: (thousandths, unit) =>
      unit === 'each'
        ? formatDecimal(eachFormat, decimalString(thousandths / 1000, 0))
        : formatDecimal(kgFormat, decimalString(thousandths, 3)),
    rate: (ppm) => formatDecimal(rateFormat, decimalString(ppm, 6)),
    dateTime: (iso) => dateFormat.format(new Date(iso)),
  };
}
