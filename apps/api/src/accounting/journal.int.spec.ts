import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Database } from '../db/database.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp, uniqueEmail } from '../test/test-app.js';
import { checkedInject } from '../test/contract-check.js';
import { postJournalEntry, postReversal } from './journal-posting.js';
import { entryOf } from './accounting.test-fixtures.js';

const CHART = [
  ['cash_on_hand', 'asset'],
  ['cash_in_safe', 'asset'],
  ['card_clearing', 'asset'],
  ['other_tender_clearing', 'asset'],
  ['inventory', 'asset'],
  ['inventory_in_transit', 'asset'],
  ['goods_received_not_invoiced', 'liability'],
  ['sales_tax_payable', 'liability'],
  ['opening_equity', 'equity'],
  ['sales_revenue', 'revenue'],
  ['discounts_given', 'revenue'],
  ['cogs', 'expense'],
  ['inventory_shrinkage', 'expense'],
  ['cash_over_short', 'expense'],
  ['rounding', 'expense'],
  ['cash_paid_out', 'expense'],
];

describe('the chart of accounts', () => {
  let app: NestFastifyApplication;
  let su: pg.Client;
  beforeAll(async () => {
    app = await createTestApp();
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
  });
  afterAll(async () => {
    await su.end();
    await app.close();
  });

  const purposes = async (tenantId: string) =>
    (
      await su.query<{ purpose: string; type: string }>(
        'select purpose, type from accounts where tenant_id = $1 order by code',
        [tenantId],
      )
    ).rows.map((a) => [a.purpose, a.type]);

  it('is created at signup, one account per system purpose', async () => {
    const res = await checkedInject(app, {
      method: 'POST',
      url: '/auth/signup',
      payload: {
        tenant: { name: `Shop ${randomUUID()}`, currency: 'EUR' },
        owner: { name: 'Olga Owner', email: uniqueEmail('chart'), password: 'a long enough password' },
        store: { name: 'Main street', code: 'MAIN', timeZone: 'Europe/Paris' },
        register: { name: 'Till 1' },
      },
    });
    expect(res.statusCode).toBe(201);
    expect(await purposes(res.json().tenantId)).toEqual(CHART);
  });

  it('is created for the test fixtures’ tenants, and only for their own tenant', async () => {
    const t = await createTenant(app);
    expect(await purposes(t.tenantId)).toEqual(CHART);
    const other = await createTenant(app);
    await expect(
      app
        .get(Database)
        .tenant({ tenantId: t.tenantId }, (tx) =>
          tx
            .selectNoFrom((eb) => eb.fn('app_create_chart_of_accounts', [eb.val(other.tenantId)]).as('x'))
            .execute(),
        ),
    ).rejects.toThrow(/row-level security/);
  });
});

describe('the journal in the database', () => {
  let app: NestFastifyApplication;
  let appRole: pg.Client;
  let t: TestTenant;
  let accounts: Record<string, string>;
  beforeAll(async () => {
    app = await createTestApp();
    appRole = new pg.Client({ connectionString: inject('db').appUrl });
    await appRole.connect();
    t = await createTenant(app);
    const rows = await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx.selectFrom('accounts').select(['id', 'purpose']).execute(),
      );
    accounts = Object.fromEntries(rows.map((r) => [r.purpose, r.id]));
  });
  afterAll(async () => {
    await appRole.end();
    await app.close();
  });

  /** Runs statements as the API role in one transaction of the tenant, and commits it. */
  const commitAsApp = async (statements: [string, unknown[]][]) => {
    await appRole.query('begin');
    try {
      await appRole.query(`select set_config('app.tenant_id', $1, true)`, [t.tenantId]);
      for (const [text, values] of statements) await appRole.query(text, values);
      await appRole.query('commit');
    } catch (e) {
      await appRole.query('rollback');
      throw e;
    }
  };
  const entry = (id: string): [string, unknown[]] => [
    `insert into journal_entries (tenant_id, id, source_type, source_id) values ($1, $2, 'test', $2)`,
    [t.tenantId, id],
  ];
  const line = (
    entryId: string,
    no: number,
    purpose: string,
    debit: number,
    credit: number,
  ): [string, unknown[]] => [
    `insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit) values ($1, $2, $3, $4, $5, $6)`,
    [t.tenantId, entryId, no, accounts[purpose], debit, credit],
  ];
  const entryCount = async (id: string) => (await entryOf(app, t.tenantId, 'test', id)).length;

  it('takes a balanced entry written with raw SQL', async () => {
    const id = randomUUID();
    await commitAsApp([entry(id), line(id, 1, 'inventory', 700, 0), line(id, 2, 'opening_equity', 0, 700)]);
    expect(await entryCount(id)).toBe(2);
  });

  it('refuses, at commit, an entry that does not balance, has one line or none', async () => {
    const unequal = randomUUID();
    await expect(
      commitAsApp([
        entry(unequal),
        line(unequal, 1, 'inventory', 700, 0),
        line(unequal, 2, 'opening_equity', 0, 699),
      ]),
    ).rejects.toMatchObject({ code: 'ZJ001' });
    const single = randomUUID();
    await expect(commitAsApp([entry(single), line(single, 1, 'inventory', 700, 0)])).rejects.toMatchObject({
      code: 'ZJ001',
    });
    const empty = randomUUID();
    await expect(commitAsApp([entry(empty)])).rejects.toMatchObject({ code: 'ZJ001' });
    // Lines added to an entry already committed unbalance it: refused too.
    const committed = randomUUID();
    await commitAsApp([
      entry(committed),
      line(committed, 1, 'inventory', 5, 0),
      line(committed, 2, 'rounding', 0, 5),
    ]);
    await expect(commitAsApp([line(committed, 3, 'inventory', 1, 0)])).rejects.toMatchObject({
      code: 'ZJ001',
    });
    for (const id of [unequal, single, empty]) expect(await entryCount(id)).toBe(0);
    expect(await entryCount(committed)).toBe(2);
  });

  it('refuses a line with both or neither of debit and credit, or a negative amount', async () => {
    for (const [d, c] of [
      [5, 5],
      [0, 0],
      [-5, 0],
    ] as const) {
      const id = randomUUID();
      await expect(
        commitAsApp([entry(id), line(id, 1, 'inventory', d, c), line(id, 2, 'rounding', 0, 5)]),
      ).rejects.toMatchObject({ code: '23514' });
    }
  });

  it('cannot be updated, deleted or truncated by the API role', async () => {
    const id = randomUUID();
    await commitAsApp([entry(id), line(id, 1, 'inventory', 9, 0), line(id, 2, 'opening_equity', 0, 9)]);
    for (const text of [
      'update journal_lines set debit = 10 where entry_id = $1',
      'delete from journal_lines where entry_id = $1',
      `update journal_entries set memo = 'changed' where id = $1`,
      'delete from journal_entries where id = $1',
    ]) {
      await expect(commitAsApp([[text, [id]]])).rejects.toThrow(/permission denied/);
    }
    await expect(commitAsApp([['truncate journal_lines', []]])).rejects.toThrow(/permission denied/);
    expect(await entryOf(app, t.tenantId, 'test', id)).toEqual([
      { purpose: 'inventory', storeId: null, debit: 9, credit: 0 },
      { purpose: 'opening_equity', storeId: null, debit: 0, credit: 9 },
    ]);
  });

  it('cannot be changed by any role, the owner included: a trigger refuses', async () => {
    const id = randomUUID();
    await commitAsApp([entry(id), line(id, 1, 'inventory', 3, 0), line(id, 2, 'opening_equity', 0, 3)]);
    const su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
    try {
      await expect(
        su.query('update journal_lines set debit = 4 where entry_id = $1', [id]),
      ).rejects.toMatchObject({
        code: 'ZJ002',
      });
      await expect(su.query('delete from journal_entries where id = $1', [id])).rejects.toMatchObject({
        code: 'ZJ002',
      });
      await expect(su.query('truncate journal_lines, journal_entries')).rejects.toMatchObject({
        code: 'ZJ002',
      });
    } finally {
      await su.end();
    }
    expect(await entryCount(id)).toBe(2);
  });

  it('postJournalEntry refuses an unbalanced entry before writing, and a source posts once', async () => {
    const db = app.get(Database);
    const sourceId = randomUUID();
    const post = (credit: number) =>
      db.tenant({ tenantId: t.tenantId }, (tx) =>
        postJournalEntry(
          tx,
          { tenantId: t.tenantId },
          {
            sourceType: 'test',
            sourceId,
            lines: [
              { purpose: 'cash_on_hand', debit: 100 },
              { purpose: 'sales_revenue', credit },
            ],
          },
        ),
      );
    await expect(post(99)).rejects.toThrow(/does not balance/);
    await expect(
      db.tenant({ tenantId: t.tenantId }, (tx) =>
        postJournalEntry(
          tx,
          { tenantId: t.tenantId },
          {
            sourceType: 'test',
            sourceId,
            lines: [
              { purpose: 'cash_on_hand', debit: 1, credit: 1 },
              { purpose: 'sales_revenue', credit: 0 },
            ],
          },
        ),
      ),
    ).rejects.toThrow(/exactly one of debit and credit/);
    expect(await entryCount(sourceId)).toBe(0);
    await post(100);
    await expect(post(100)).rejects.toMatchObject({ code: '23505' });
    expect(await entryOf(app, t.tenantId, 'test', sourceId)).toEqual([
      { purpose: 'cash_on_hand', storeId: null, debit: 100, credit: 0 },
      { purpose: 'sales_revenue', storeId: null, debit: 0, credit: 100 },
    ]);
  });

  it('postReversal posts the original with debit and credit swapped, and nothing for a source without an entry', async () => {
    const db = app.get(Database);
    const scope = { tenantId: t.tenantId };
    const sourceId = randomUUID();
    const reversalId = randomUUID();
    await db.tenant(scope, (tx) =>
      postJournalEntry(tx, scope, {
        sourceType: 'test',
        sourceId,
        lines: [
          { purpose: 'inventory', debit: 70, storeId: t.storeIds[1] },
          { purpose: 'opening_equity', credit: 70 },
        ],
      }),
    );
    const reversed = await db.tenant(scope, (tx) =>
      postReversal(
        tx,
        scope,
        { sourceType: 'test', sourceId },
        { sourceType: 'test_reversal', sourceId: reversalId },
      ),
    );
    expect(reversed).not.toBeNull();
    expect(await entryOf(app, t.tenantId, 'test_reversal', reversalId)).toEqual([
      { purpose: 'inventory', storeId: t.storeIds[1], debit: 0, credit: 70 },
      { purpose: 'opening_equity', storeId: null, debit: 70, credit: 0 },
    ]);
    const none = await db.tenant(scope, (tx) =>
      postReversal(
        tx,
        scope,
        { sourceType: 'test', sourceId: randomUUID() },
        { sourceType: 'test_reversal', sourceId: randomUUID() },
      ),
    );
    expect(none).toBeNull();
  });
});
