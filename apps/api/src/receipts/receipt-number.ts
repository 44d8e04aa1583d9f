/**
 * The receipt number as printed: `<store code>-<register position>-<number>`, e.g. `ZRH-02-000042`.
 *
 * The register's gapless number alone repeats across registers; the store code is unique in the tenant and
 * the register's position (its rank among the store's registers by creation, two digits at least) is unique
 * in the store and never changes, registers being deactivated, never deleted. A rename of the register
 * changes neither. The last two parts are digits, so a store code with dashes still reads one way. Printable
 * ASCII only: it is what the receipt's CODE128 barcode encodes.
 */
export function printedReceiptNumber(storeCode: string, registerPosition: number, number: number): string {
  return `${storeCode}-${String(registerPosition).padStart(2, '0')}-${String(number).padStart(6, '0')}`;
}
