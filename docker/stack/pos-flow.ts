// What a merchant does first, through nginx and the typed client: sign up, log in, create a tax category and a
// product, open the till, sell, print the receipt. Each stack test runs it to prove the stack serves the POS.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  authEndpoints,
  cashEndpoints,
  catalogEndpoints,
  receiptEndpoints,
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
