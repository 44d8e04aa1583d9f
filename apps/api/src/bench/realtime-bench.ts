// Sale commit to a Socket.IO client hearing `sale.completed`: registers sell as the checkout scenario does
// while one socket client per store listens, as a back office or a second till would (the path the realtime
// gateway serves: the API's HTTP server at /socket.io, `auth: { token }`).
import { io, type Socket } from 'socket.io-client';
import { SOCKET_PATH } from '../realtime/realtime.gateway.js';
import { type DeliveryLatency, deliveryLatency, type SentSale } from './bench-metrics.js';
import { driveRegisters, type RegisterRun, saleBody } from './checkout-bench.js';
import type { CheckoutBenchSetup } from './checkout-seed.js';

export interface SaleListener {
  /** When each sale's `sale.completed` was first heard (performance.now()), by sale id. */
  heardAt: Map<string, number>;
  close(): void;
}

/** A socket admitted with this access token, noting every `sale.completed` it hears. */
export async function listenForSales(base: string, token: string): Promise<SaleListener> {
  const socket: Socket = io(base, {
    path: SOCKET_PATH,
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
    forceNew: true,
  });
  const heardAt = new Map<string, number>();
  socket.on('sale.completed', (data: { saleId?: unknown }) => {
    const at = performance.now();
    if (typeof data?.saleId === 'string' && !heardAt.has(data.saleId)) heardAt.set(data.saleId, at);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('realtime: the socket was not admitted in 10 s')),
      10_000,
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(new Error(`realtime: socket refused: ${err.message}`));
    });
  });
  return { heardAt, close: () => socket.disconnect() };
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!ok()) {
    if (performance.now() > deadline) throw new Error(`realtime: ${what} within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface RealtimeRun {
  registers: RegisterRun;
  latency: DeliveryLatency;
}

/**
 * One sale first, heard before anything is measured (the consumers have joined and the pipeline flows),
 * then `registers` registers selling for warm-up + duration; the latency of every sale answered after the
 * warm-up, waiting up to `settleMs` after the last sale for the events still on their way.
 */
export async function runRealtime(o: {
  base: string;
  headers: Record<string, string>;
  token: string;
  setup: CheckoutBenchSetup;
  registers: readonly string[];
  warmup: number;
  duration: number;
  settleMs?: number;
}): Promise<RealtimeRun> {
  const listener = await listenForSales(o.base, o.token);
  try {
    const probe = saleBody(o.setup, o.registers[0]!);
    const res = await fetch(`${o.base}/sales`, {
      method: 'POST',
      headers: { ...o.headers, 'content-type': 'application/json' },
      body: JSON.stringify(probe),
    });
    const answer = await res.text();
    if (res.status !== 201) throw new Error(`realtime: the probe sale answered ${res.status} ${answer}`);
    await until('the probe sale was not heard', () => listener.heardAt.has(String(probe.id)), 120_000);
    const sales = new Map<string, SentSale>();
    const run = await driveRegisters(o.base, o.headers, o.setup, o.registers, o.warmup, o.duration, (s) => {
      if (s.measured) sales.set(s.id, s);
    });
    // Until every sale is heard, or nothing more came for `settleMs`.
    let heard = -1;
    let quietSince = performance.now();
    while ([...sales.keys()].some((id) => !listener.heardAt.has(id))) {
      if (listener.heardAt.size !== heard) {
        heard = listener.heardAt.size;
        quietSince = performance.now();
      } else if (performance.now() - quietSince > (o.settleMs ?? 10_000)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return { registers: run, latency: deliveryLatency(sales, listener.heardAt) };
  } finally {
    listener.close();
  }
}
