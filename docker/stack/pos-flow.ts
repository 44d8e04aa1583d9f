// What a merchant does first, through nginx and the typed client: sign up, log in, create a tax category and a
// product, open the till, sell, print the receipt. Each stack test runs it to prove the stack serves the POS.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  authEndpoints,
  cashEndpoints,
  catalogEndpoints,
  receiptEndpoints,
  reportExportEndpoints,
  salesEndpoints,
} from '@zakpos/contracts';
import type { Stack } from './stack-harness.js';

export interface Merchant {
  tenantId: string;
  registerId: string;
  productId: string;
  token: string;
  email: string;
  password: string;
}

/** A new tenant with one product (4.20, 5.5 % VAT) and an open till. */
export async function signUpMerchant(
  stack: Stack,
  label = randomBytes(3).toString('hex'),
): Promise<Merchant> {
  const email = `owner-${label}@stack.zakpos.test`;
  const password = `Stack-${randomBytes(9).toString('base64url')}`;
  const anonymous = stack.client();
  const signup = await anonymous(authEndpoints.signup, {
    body: {
      tenant: { name: `Stack shop ${label}`, currency: 'EUR', locale: 'fr-FR' },
      owner: { name: 'Stack Owner', email, password },
      store: { name: 'Centre', code: 'CENTRE', timeZone: 'Europe/Paris' },
      register: { name: 'Till 1' },
    },
  });
  const login = await anonymous(authEndpoints.login, { body: { email, password } });
  const token = login.accessToken;
  const api = stack.client(() => token);
  const vat = await api(catalogEndpoints.createTaxCategory, {
    body: { name: 'Reduced', rates: [{ name: 'TVA', rateBp: 550 }] },
  });
  const product = await api(catalogEndpoints.createProduct, {
    body: { sku: `MILK-${label}`, name: 'Milk 1 L', price: 420, cost: 250, taxCategoryId: vat.id },
  });
  await api(cashEndpoints.openCashSession, {
    params: { id: signup.registerId },
    body: { openingFloat: 10_000 },
  });
  return {
    tenantId: signup.tenantId,
    registerId: signup.registerId,
    productId: product.id,
    token,
    email,
    password,
  };
}

/** The body of a one-item cash sale under a given id: the same id and body may be sent again (idempotent). */
export function oneItemSale(m: Merchant, id: string) {
  return {
    id,
    registerId: m.registerId,
    lines: [{ productId: m.productId }],
    payments: [{ kind: 'cash' as const, amount: 500 }],
  };
}

/**
 * Sells one item after another (one request at a time, ~10 per second: under nginx's 20/s per address) while
 * `more()` says so, at most `max`; returns each sale id with what its checkout answered ('ok' or the error).
 */
export async function sellWhile(stack: Stack, m: Merchant, more: () => boolean, max: number) {
  const api = stack.client(() => m.token);
  const attempts: { id: string; outcome: string }[] = [];
  for (let i = 0; i < max && more(); i++) {
    const id = randomUUID();
    try {
      await api(salesEndpoints.checkout, { body: oneItemSale(m, id) });
      attempts.push({ id, outcome: 'ok' });
    } catch (err) {
      attempts.push({ id, outcome: (err as Error).message });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return attempts;
}

/** One cash sale of `quantity` items; returns the sale and its text receipt. */
export async function sell(stack: Stack, m: Merchant, quantity = 2) {
  const api = stack.client(() => m.token);
  const sale = await api(salesEndpoints.checkout, {
    body: {
      id: randomUUID(),
      registerId: m.registerId,
      lines: [{ productId: m.productId, quantity: quantity * 1000 }],
      payments: [{ kind: 'cash', amount: 420 * quantity + 100 }],
    },
  });
  const receipt = await api(receiptEndpoints.saleReceipt, {
    params: { id: sale.id },
    query: { format: 'text' },
  });
  return { sale, receipt: String(receipt) };
}

interface MailpitMessage {
  MessageID: string;
  Subject: string;
  To: { Address: string }[];
}

/**
 * Emails the sale's receipt through nginx, then waits for it in the stack's Mailpit (the test overlay's SMTP
 * server), read from its HTTP API inside the backend network (from an api container: it has node).
 */
export async function emailedReceipt(stack: Stack, m: Merchant, saleId: string, to: string) {
  const api = stack.client(() => m.token);
  const queued = await api(receiptEndpoints.emailSaleReceipt, {
    params: { id: saleId },
    body: { id: randomUUID(), to },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const listed = stack.composeOk([
      'exec',
      '-T',
      'api',
      'node',
      '-e',
      "fetch('http://mailpit:8025/api/v1/messages').then((r) => r.text()).then((t) => console.log(t))",
    ]);
    const found = (JSON.parse(listed) as { messages: MailpitMessage[] }).messages.find((msg) =>
      msg.To.some((a) => a.Address === to),
    );
    if (found) return { queued, message: found };
    if (Date.now() > deadline) throw new Error(`the receipt to ${to} did not reach Mailpit: ${listed}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Exports the days' sales as a CSV file through nginx (the worker writes it to MinIO, which the api replicas
 * read), waits for it, then downloads it by its link, with no token; returns the export and the file.
 */
export async function exportedSales(stack: Stack, m: Merchant) {
  const api = stack.client(() => m.token);
  // Yesterday to tomorrow: today in the store's time zone, whatever the hour in UTC.
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const asked = await api(reportExportEndpoints.createReportExport, {
    body: { id: randomUUID(), report: 'sales-by-day', from: day(-1), to: day(1) },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const current = await api(reportExportEndpoints.getReportExport, { params: { id: asked.id } });
    if (current.status === 'completed') {
      const file = await stack.request(current.download!.url);
      return { export: current, status: file.status, csv: file.body.toString('utf8') };
    }
    if (current.status === 'failed' || Date.now() > deadline) {
      throw new Error(`the export did not complete: ${JSON.stringify(current)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
