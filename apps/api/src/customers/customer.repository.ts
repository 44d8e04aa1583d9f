import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Tx } from '../db/database.js';
import type { CustomerQuery } from './customer-search-terms.js';
import type { CustomersTable } from './customers.tables.js';

export type CustomerRow = Selectable<CustomersTable>;

/** Where a page of customers (ordered by name, then id) ended. */
export interface CustomerCursor {
  name: string;
  id: string;
}

export interface CustomerSearch {
  query?: CustomerQuery | undefined;
  after?: CustomerCursor | undefined;
  limit: number;
}

export function findCustomer(tx: Tx, tenantId: string, id: string): Promise<CustomerRow | undefined> {
  return tx
    .selectFrom('customers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function lockCustomer(tx: Tx, tenantId: string, id: string): Promise<CustomerRow | undefined> {
  return tx
    .selectFrom('customers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The id of the customer holding `value` in `field`, if any (email is citext: any case). */
export async function customerIdBy(
  tx: Tx,
  tenantId: string,
  field: 'email' | 'phone',
  value: string,
): Promise<string | undefined> {
  const row = await tx
    .selectFrom('customers')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where(field, '=', value)
    .executeTakeFirst();
  return row?.id;
}

export async function insertCustomer(tx: Tx, row: Insertable<CustomersTable>): Promise<CustomerRow> {
  return tx.insertInto('customers').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateCustomer(
  tx: Tx,
  tenantId: string,
  id: string,
  changes: Updateable<CustomersTable>,
): Promise<CustomerRow> {
  return tx
    .updateTable('customers')
    .set({ ...changes, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Rewrites a customer's rows in the search index; every customer write calls it. */
export async function replaceCustomerTerms(
  tx: Tx,
  tenantId: string,
  customerId: string,
  terms: readonly string[],
): Promise<void> {
  await tx
    .deleteFrom('customer_search_terms')
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .execute();
  if (terms.length) {
    await tx
      .insertInto('customer_search_terms')
      .values(terms.map((term) => ({ tenant_id: tenantId, customer_id: customerId, term })))
      .execute();
  }
}

/** Customers with a term beginning with `prefix`: an index range scan (starts_with is leakproof). */
function customersWithTermStarting(tenantId: string, prefix: string) {
  return sql`(select customer_id from customer_search_terms
               where tenant_id = ${tenantId} and starts_with(term, ${prefix}))`;
}

/**
 * One page of customers ordered by (name, id), after the cursor: keyset pagination. Every condition uses
 * a leakproof operator (=, row comparison, starts_with), so PostgreSQL may serve it from the indexes under
 * row-level security.
 */
export function customerSearchQuery(tx: Tx, tenantId: string, s: CustomerSearch) {
  let query = tx.selectFrom('customers as c').selectAll('c').where('c.tenant_id', '=', tenantId);
  if (s.after) {
    const { name, id } = s.after;
    query = query.where((eb) => eb(eb.refTuple('c.name', 'c.id'), '>', eb.tuple(name, id)));
  }
  const q = s.query;
  if (q && (q.words.length || q.phoneDigits)) {
    const allWords = q.words.length
      ? sql.join(
          q.words.map((w) => sql`c.id in ${customersWithTermStarting(tenantId, w)}`),
          sql` and `,
        )
      : sql`false`;
    const phone = q.phoneDigits
      ? sql`c.id in ${customersWithTermStarting(tenantId, q.phoneDigits)}`
      : sql`false`;
    query = query.where(sql<boolean>`((${allWords}) or ${phone})`);
  }
  return query.orderBy('c.name').orderBy('c.id').limit(s.limit);
}

export function searchCustomers(tx: Tx, tenantId: string, s: CustomerSearch): Promise<CustomerRow[]> {
  return customerSearchQuery(tx, tenantId, s).execute();
}
