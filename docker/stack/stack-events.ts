// Sales through nginx, seen by what listens to the events: a Socket.IO client (nginx keeps a client address on
// one replica, while the sales go round robin over all of them: the worker's relay emits each event through
// Redis, and the adapter of the client's replica delivers it) and a Kafka consumer of zakpos.sales.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { oneItemSale, signUpMerchant } from './pos-flow.js';
import type { Stack } from './stack-harness.js';

const HEAR_WITHIN_MS = 30_000;
const SALES = 6;

export async function salesReachSocketAndKafka(stack: Stack): Promise<void> {
  const merchant = await signUpMerchant(stack, 'events');
  const tag = randomUUID().slice(0, 8);
  const socket = stack.socket(merchant.token, `socket-${tag}`);
  const heard: string[] = [];
  const saleIds: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });
    const allHeard = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`heard ${heard.length} of ${SALES} sale.completed`)),
        HEAR_WITHIN_MS,
      );
      socket.on('sale.completed', (data: { saleId: string }) => {
        heard.push(data.saleId);
        if (heard.length === SALES) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    for (let i = 0; i < SALES; i++) {
      const id = randomUUID();
      const res = await stack.request('/sales', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${merchant.token}`,
          'content-type': 'application/json',
          'x-request-id': `sale-${tag}-${i}`,
        },
        body: JSON.stringify(oneItemSale(merchant, id)),
      });
      expect(res.status, res.body.toString()).toBe(201);
      saleIds.push(id);
    }
    await allHeard;
    expect([...heard].sort()).toEqual([...saleIds].sort());

    // The same events on Kafka, published by the worker's relay: each sale once.
    const consumed = stack.composeOk([
      'exec',
      '-T',
      'kafka',
      '/opt/kafka/bin/kafka-console-consumer.sh',
      '--bootstrap-server',
      'localhost:9092',
      '--topic',
      'zakpos.sales',
      '--from-beginning',
      '--timeout-ms',
      '15000',
    ]);
    const events = consumed
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; tenantId: string; payload: { saleId?: string } })
      .filter((e) => e.type === 'sale.completed' && e.tenantId === merchant.tenantId);
    expect(events.map((e) => e.payload.saleId).sort()).toEqual([...saleIds].sort());
  } finally {
    socket.disconnect();
  }
  // nginx logs an upgraded connection once it closes: the client's replica served some sales, others not.
  let socketUpstream: string | undefined;
  const deadline = Date.now() + 10_000;
  while (!socketUpstream && Date.now() < deadline) {
    socketUpstream = stack.accessLog().find((l) => l.request_id === `socket-${tag}`)?.upstream_addr;
    if (!socketUpstream) await new Promise((r) => setTimeout(r, 500));
  }
  expect(socketUpstream).toBeDefined();
  const saleUpstreams = stack
    .accessLog()
    .filter((l) => l.request_id.startsWith(`sale-${tag}-`))
    .map((l) => l.upstream_addr);
  expect(saleUpstreams).toHaveLength(SALES);
  expect(saleUpstreams.filter((u) => u !== socketUpstream).length).toBeGreaterThan(0);
}
