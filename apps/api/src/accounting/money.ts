/**
 * The value in minor units of a stock quantity in thousandths at a cost per unit (per kilogram):
 * quantity × cost / 1000, rounded half away from zero, in exact integer arithmetic. Migration 0011
 * values the opening stock with the same rule (PostgreSQL's round(numeric)).
 */
export function stockValue(quantity: number, cost: number): number {
  const product = BigInt(quantity) * BigInt(cost);
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  const rounded = (magnitude + 500n) / 1000n;
  const value = Number(negative ? -rounded : rounded);
  if (!Number.isSafeInteger(value)) throw new Error(`stock value ${value} is outside the safe integer range`);
  return value;
}
