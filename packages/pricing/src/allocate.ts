/**
 * Splits `amount` (>= 0) into parts proportional to `weights` (each >= 0) by the largest remainder method:
 * every part first gets floor(amount * weight / total); the units left over go one each to the parts with the
 * largest fractional remainders, ties to the earlier part. The parts sum exactly to `amount`, and no part exceeds
 * its exact share rounded up. With all weights zero, only an amount of zero can be split (all parts zero).
 *
 * dinero.js's `allocate` is not used here: in v2.0.2 it hands the left-over units to the parts with the largest
 * ratios, not the largest remainders (7 over [3, 4, 5] gives [1, 3, 3]; largest remainder gives [2, 2, 3]).
 */
export function allocateLargestRemainder(amount: bigint, weights: readonly bigint[]): bigint[] {
  if (amount < 0n || weights.some((w) => w < 0n)) {
    throw new RangeError('allocateLargestRemainder: amount and weights must be non-negative');
  }
  const total = weights.reduce((a, b) => a + b, 0n);
  if (total === 0n) {
    if (amount !== 0n)
      throw new RangeError('allocateLargestRemainder: cannot split a non-zero amount over zero weights');
    return weights.map(() => 0n);
  }
  const parts = weights.map((w) => (amount * w) / total);
  const remainders = weights.map((w, index) => ({ index, remainder: (amount * w) % total }));
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  let left = amount - parts.reduce((a, b) => a + b, 0n);
  for (const { index } of remainders) {
    if (left === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts;
}
