// Pure helpers of the event scenarios (infra-bench.ts): reading the API's Prometheus text, pairing sales
// with the socket events that reported them, and rates.
import { latencySummary } from './replay.js';

/**
 * The sum of every sample of `name` in Prometheus text exposition whose labels include `labels` (all
 * samples when none are given); 0 when there is none.
 */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = new Map<string, string>();
    for (const pair of (m[2] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      have.set(pair[1]!, pair[2]!);
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) sum += Number(m[3]);
  }
  return sum;
}

export interface SentSale {
  /** performance.now() when the request was sent and when its 201 came back. */
  sentAt: number;
  answeredAt: number;
}

export interface DeliveryLatency {
  /** Sales whose event was heard. */
  heard: number;
  /** Sales whose event never came. */
  missing: number;
  /** Receipt minus the 201's arrival: a lower bound of commit to receipt (the commit came before the 201). */
  fromAnswer: { p50Ms: number; p99Ms: number; maxMs: number };
  /** Receipt minus the request's sending: an upper bound (the commit came after it was sent). */
  fromSend: { p50Ms: number; p99Ms: number; maxMs: number };
}

/** Pairs each sale with the first time its event was heard (performance.now(), by sale id). */
export function deliveryLatency(
  sales: ReadonlyMap<string, SentSale>,
  heardAt: ReadonlyMap<string, number>,
): DeliveryLatency {
  const fromAnswer: number[] = [];
  const fromSend: number[] = [];
  let missing = 0;
  for (const [id, sale] of sales) {
    const at = heardAt.get(id);
    if (at === undefined) {
      missing += 1;
      continue;
    }
    fromAnswer.push(at - sale.answeredAt);
    fromSend.push(at - sale.sentAt);
  }
  const stats = (xs: number[]) => ({
    ...latencySummary(xs),
    maxMs: xs.reduce((m, x) => Math.max(m, x), xs.length ? -Infinity : 0),
  });
  return { heard: fromAnswer.length, missing, fromAnswer: stats(fromAnswer), fromSend: stats(fromSend) };
}

/** `count` per second of `ms`; 0 for no time. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : 0;
}

/** CPU µs per unit, rounded; 0 when there were none. */
export function microsPer(cpuMs: number, units: number): number {
  return units > 0 ? Math.round((cpuMs * 1000) / units) : 0;
}
