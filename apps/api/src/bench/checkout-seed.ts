import { createHash } from 'node:crypto';
import pg from 'pg';

/** What the checkout benchmark sells with: registers with open sessions, products with prices. */
export interface CheckoutBenchSetup {
  registerIds: string[];
  /** Product ids and prices (gross, VAT inclusive), the hot one first. */
  products: { id: string; price: number }[];
}

/**
 * The ids of register n and its session: derived from md5 (with the version and variant digits of a
 * random UUID, which the API's contracts check), so the pgbench replay computes the id of its own
 * register from its client id without a round trip. `md5Uuid` is the same in JavaScript.
 */
export const md5UuidSql = (text: string) =>
  `overlay(overlay(md5(${text}) placing '4' from 13) placing '8' from 17)::uuid`;
export const benchRegisterSql = (n: string) => md5UuidSql(`'bench-register-' || ${n}`);
export const benchSessionSql = (n: string) => md5UuidSql(`'bench-session-' || ${n}`);

export function md5Uuid(text: string): string {
  const h = createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
}

/**
 * Adds to the bench tenant (as the owner role, under its row-level-security context): `registers`
 * registers in its store, each with an open cash session of the bench user, and stock of the first
 * `products` products (ordered by sku; the first is the hot product).
 */
export async function seedCheckoutBench(
  ownerUrl: string,
  tenantId: string,
  registers: number,
  products: number,
): Promise<CheckoutBenchSetup> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'zakpos-bench-seed' });
  await client.connect();
  try {
    await client.query(`select set_config('app.tenant_id', $1, false)`, [tenantId]);
    await client.query('begin');
    const { rows: stores } = await client.query<{ id: string }>(
      'select id from stores where tenant_id = $1',
      [tenantId],
    );
    const storeId = stores[0]!.id;
    const { rows: users } = await client.query<{ id: string }>('select id from users where tenant_id = $1', [
      tenantId,
    ]);
    const userId = users[0]!.id;
    // The bench tenant was seeded for the catalog: it gets its chart of accounts as signup gives one.
    await client.query('select app_create_chart_of_accounts($1)', [tenantId]);
    await client.query(
      `insert into registers (tenant_id, id, store_id, name)
       select $1, ${benchRegisterSql('g')}, $2, 'Till ' || g from generate_series(0, $3::int - 1) g`,
      [tenantId, storeId, registers],
    );
    await client.query(
      `insert into cash_sessions (tenant_id, id, store_id, register_id, opened_by, opening_float)
       select $1, ${benchSessionSql('g')}, $2, ${benchRegisterSql('g')}, $3, 0 from generate_series(0, $4::int - 1) g`,
      [tenantId, storeId, userId, registers],
    );
    const { rows } = await client.query<{ id: string; price: number }>(
      'select id, price from products where tenant_id = $1 order by sku limit $2',
      [tenantId, products],
    );
    // Plenty of stock: the store allows negative stock anyway, but sales normally take from stock.
    await client.query(
      `insert into stock_movements (tenant_id, id, store_id, product_id, quantity, reason, reason_code)
       select $1, gen_random_uuid(), $2, p, 1000000000, 'adjustment', 'received' from unnest($3::uuid[]) p`,
      [tenantId, storeId, rows.map((r) => r.id)],
    );
    const { rows: ids } = await client.query<{ id: string }>(
      `select ${benchRegisterSql('g')}::text as id from generate_series(0, $1::int - 1) g order by g`,
      [registers],
    );
    await client.query('commit');
    await client.query('vacuum (analyze) registers, cash_sessions, stock_levels');
    return {
      registerIds: ids.map((r) => r.id),
      products: rows.map((r) => ({ id: r.id, price: Number(r.price) })),
    };
  } finally {
    await client.end();
  }
}
