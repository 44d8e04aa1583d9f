const MINUTE = 60_000;

/**
 * When the demo's open shift of today starts and when its sales ring up: up to 90 minutes back from
 * `now`, but never before today's UTC midnight, so a seed run just after midnight still puts every
 * record of "today" on today. The sales are spread evenly between the opening and `now`.
 */
export function todaysShift(now: Date, sales: number): { opensAt: Date; salesAt: Date[] } {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const opensAt = Math.max(midnight, now.getTime() - 90 * MINUTE);
  const step = (now.getTime() - opensAt) / (sales + 1);
  return {
    opensAt: new Date(opensAt),
    salesAt: Array.from({ length: sales }, (_, i) => new Date(opensAt + Math.floor((i + 1) * step))),
  };
}
