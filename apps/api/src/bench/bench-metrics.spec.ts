import { describe, expect, it } from 'vitest';
import { deliveryLatency, metricSum, microsPer, perSecond } from './bench-metrics.js';

const TEXT = `# HELP zakpos_lookup_cache_total Barcode lookups by cache result
# TYPE zakpos_lookup_cache_total counter
zakpos_lookup_cache_total{result="hit"} 42
zakpos_lookup_cache_total{result="miss"} 8
zakpos_lookup_cache_total{result="error"} 0
zakpos_lookup_cache_total_created{result="hit"} 1700000000
zakpos_outbox_relay_leader 1
zakpos_outbox_published_total{topic="zakpos.sales"} 10
zakpos_outbox_published_total{topic="zakpos.inventory",extra="a \\"quoted\\" value"} 15
`;

describe('metricSum', () => {
  it('sums the samples of one metric whose labels include the given ones', () => {
    expect(metricSum(TEXT, 'zakpos_lookup_cache_total', { result: 'hit' })).toBe(42);
    expect(metricSum(TEXT, 'zakpos_lookup_cache_total')).toBe(50);
    expect(metricSum(TEXT, 'zakpos_outbox_published_total')).toBe(25);
    expect(metricSum(TEXT, 'zakpos_outbox_published_total', { topic: 'zakpos.inventory' })).toBe(15);
  });

  it('reads a sample without labels, and is 0 for a metric or label value it does not find', () => {
    expect(metricSum(TEXT, 'zakpos_outbox_relay_leader')).toBe(1);
    expect(metricSum(TEXT, 'zakpos_outbox_pending')).toBe(0);
    expect(metricSum(TEXT, 'zakpos_lookup_cache_total', { result: 'stale' })).toBe(0);
    // A longer name sharing the prefix is another metric.
    expect(metricSum(TEXT, 'zakpos_lookup_cache')).toBe(0);
  });
});

describe('deliveryLatency', () => {
  it('pairs sales with when their event was heard, from the 201 and from the sending, and counts the missing', () => {
    const sales = new Map([
      ['a', { sentAt: 100, answeredAt: 110 }],
      ['b', { sentAt: 200, answeredAt: 230 }],
      ['c', { sentAt: 300, answeredAt: 320 }],
    ]);
    const heard = new Map([
      ['a', 150],
      ['b', 240],
      ['other', 1],
    ]);
    const d = deliveryLatency(sales, heard);
    expect(d.heard).toBe(2);
    expect(d.missing).toBe(1);
    expect(d.fromAnswer).toEqual({ p50Ms: 40, p99Ms: 40, maxMs: 40 });
    expect(d.fromSend).toEqual({ p50Ms: 50, p99Ms: 50, maxMs: 50 });
  });

  it('is all zeros when nothing was sold', () => {
    const d = deliveryLatency(new Map(), new Map());
    expect(d).toEqual({
      heard: 0,
      missing: 0,
      fromAnswer: { p50Ms: 0, p99Ms: 0, maxMs: 0 },
      fromSend: { p50Ms: 0, p99Ms: 0, maxMs: 0 },
    });
  });

  it('takes p99 from the sorted latencies', () => {
    const sales = new Map<string, { sentAt: number; answeredAt: number }>();
    const heard = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      sales.set(String(i), { sentAt: 0, answeredAt: 0 });
      heard.set(String(i), 199 - i); // 0..199 ms, heard in reverse order
    }
    const d = deliveryLatency(sales, heard);
    expect(d.fromAnswer.p50Ms).toBe(100);
    expect(d.fromAnswer.p99Ms).toBe(198);
    expect(d.fromAnswer.maxMs).toBe(199);
  });
});

describe('rates', () => {
  it('gives per-second rates and µs per unit, 0 without time or units', () => {
    expect(perSecond(500, 250)).toBe(2000);
    expect(perSecond(5, 0)).toBe(0);
    expect(microsPer(12.3456, 10)).toBe(1235);
    expect(microsPer(5, 0)).toBe(0);
  });
});
