import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balances, entryOf } from '../accounting/accounting.test-fixtures.js';
import { TokenService } from '../auth/token.service.js';
import { Database } from '../db/database.js';
import { checkedInject } from '../test/contract-check.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { requireOpenCashSession } from './require-open-cash-session.js';

describe('cash sessions', () => {
  let app: NestFastifyApplication;
  let t: TestTenant;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const send = (method: 'GET' | 'POST', url: string, payload?: object, headers = t.owner.headers) =>
    checkedInject(app, { method, url, headers, ...(payload ? { payload } : {}) });

  it('opens with a float, moves cash, closes by denomination; the journal is exact and the till ends at zero', async () => {
    t = await createTenant(app);
    const [register] = t.registerIds;
    const [store] = t.storeIds;
    const opened = await send('POST', `/registers/${register}/cash-sessions`, { openingFloat: 10_000 });
    expect(opened.statusCode, opened.body).toBe(201);
    const s = opened.json();
    expect(s).toMatchObject({ status: 'open', openingFloat: 10_000, expectedTotal: 10_000, overShort: null });
    expect(await entryOf(app, t.tenantId, 'cash_session_open', s.id)).toEqual([
      { purpose: 'cash_on_hand', storeId: store, debit: 10_000, credit: 0 },
      { purpose: 'cash_in_safe', storeId: store, debit: 0, credit: 10_000 },
    ]);

    const cashIn = await send('POST', `/cash-sessions/${s.id}/movements`, {
      kind: 'cash_in',
      amount: 2_000,
      reasonCode: 'change_delivery',
    });
    expect(cashIn.statusCode, cashIn.body).toBe(201);
    const paidOut = await send('POST', `/cash-sessions/${s.id}/movements`, {
      kind: 'cash_out',
      amount: 500,
      reasonCode: 'paid_out',
      note: 'milk',
    });
    expect(paidOut.statusCode, paidOut.body).toBe(201);
    expect(paidOut.json()).toMatchObject({ cashIn: 2_000, cashOut: 500, expectedTotal: 11_500 });
    const [inMove, outMove] = paidOut.json().movements;
    expect(await entryOf(app, t.tenantId, 'cash_movement', inMove.id)).toEqual([
      { purpose: 'cash_on_hand', storeId: store, debit: 2_000, credit: 0 },
      { purpose: 'cash_in_safe', storeId: store, debit: 0, credit: 2_000 },
    ]);
    expect(await entryOf(app, t.tenantId, 'cash_movement', outMove.id)).toEqual([
      { purpose: 'cash_on_hand', storeId: store, debit: 0, credit: 500 },
      { purpose: 'cash_paid_out', storeId: store, debit: 500, credit: 0 },
    ]);

    const current = await send('GET', `/registers/${register}/cash-sessions/current`);
    expect(current.json().id).toBe(s.id);

    // 11 500 expected; counted 2 × 50 € + 1 × 10 € + 3 × 2 € + 1 × 0.50 € = 116.50 €: 150 over.
    const closed = await send('POST', `/cash-sessions/${s.id}/close`, {
      denominations: [
        { value: 200, count: 3 },
        { value: 5000, count: 2 },
        { value: 50, count: 1 },
        { value: 1000, count: 1 },
      ],
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      countedTotal: 11_650,
      expectedTotal: 11_500,
      overShort: 150,
      counted: [
        { value: 5000, count: 2 },
        { value: 1000, count: 1 },
        { value: 200, count: 3 },
        { value: 50, count: 1 },
      ],
    });
    expect(await entryOf(app, t.tenantId, 'cash_session_close', s.id)).toEqual([
      { purpose: 'cash_in_safe', storeId: store, debit: 11_650, credit: 0 },
      { purpose: 'cash_over_short', storeId: store, debit: 0, credit: 150 },
      { purpose: 'cash_on_hand', storeId: store, debit: 0, credit: 11_500 },
    ]);
    const b = await balances(app, t.tenantId);
    expect(b.get('cash_on_hand')).toBe(0);
    expect([...b.values()].reduce((x, y) => x + y, 0)).toBe(0);
    const trial = await send('GET', `/accounting/trial-balance`);
    expect(trial.statusCode, trial.body).toBe(200);

    const none = await send('GET', `/registers/${register}/cash-sessions/current`);
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('NO_OPEN_CASH_SESSION');

    const list = await send('GET', `/stores/${store}/cash-sessions?limit=1`);
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([s.id]);
  });

  it('a short count by total posts the shortage as a debit', async () => {
    t = await createTenant(app);
    const s = (
      await send('POST', `/registers/${t.registerIds[0]}/cash-sessions`, { openingFloat: 5_000 })
    ).json();
    const closed = await send('POST', `/cash-sessions/${s.id}/close`, { countedTotal: 4_800 });
    expect(closed.json()).toMatchObject({
      countedTotal: 4_800,
      expectedTotal: 5_000,
      overShort: -200,
      counted: null,
    });
    expect(await entryOf(app, t.tenantId, 'cash_session_close', s.id)).toEqual([
      { purpose: 'cash_in_safe', storeId: t.storeIds[0], debit: 4_800, credit: 0 },
      { purpose: 'cash_over_short', storeId: t.storeIds[0], debit: 200, credit: 0 },
      { purpose: 'cash_on_hand', storeId: t.storeIds[0], debit: 0, credit: 5_000 },
    ]);
  });

  it('one open session per register: a second open is a 409, and of 10 concurrent opens exactly one succeeds', async () => {
    t = await createTenant(app);
    const [r0, r1] = t.registerIds;
    expect((await send('POST', `/registers/${r0}/cash-sessions`, { openingFloat: 0 })).statusCode).toBe(201);
    const again = await send('POST', `/registers/${r0}/cash-sessions`, { openingFloat: 0 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CASH_SESSION_OPEN');

    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        send('POST', `/registers/${r1}/cash-sessions`, { openingFloat: 1_000 }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const b = await balances(app, t.tenantId);
    expect(b.get('cash_on_hand')).toBe(1_000);
  });

  // The fuzzer's find: a cash_in of MAX_SAFE_INTEGER on a float of 10000 answered 201 with an expectedTotal
  // past it, which no JSON number holds exactly (and every read of the session broke its schema after it).
  it('refuses a movement that would take the session past MAX_SAFE_INTEGER, naming amount, writing nothing', async () => {
    t = await createTenant(app);
    const s = (
      await send('POST', `/registers/${t.registerIds[0]}/cash-sessions`, { openingFloat: 10_000 })
    ).json();
    const move = (kind: 'cash_in' | 'cash_out', amount: number) =>
      send('POST', `/cash-sessions/${s.id}/movements`, {
        kind,
        amount,
        reasonCode: kind === 'cash_in' ? 'float_top_up' : 'safe_drop',
      });
    const max = Number.MAX_SAFE_INTEGER;
    for (const refused of [await move('cash_in', max), await move('cash_in', max - 9_999)]) {
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().error).toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: { amount: [`would take the session's cash past ${max} minor units`] },
      });
    }
    const session = () => send('GET', `/cash-sessions/${s.id}`);
    expect((await session()).json()).toMatchObject({ expectedTotal: 10_000, cashIn: 0, movements: [] });

    // Up to the limit is fine; then the float and the cash in stay bounded, however much goes out between.
    expect((await move('cash_in', max - 10_000)).statusCode).toBe(201);
    expect((await session()).json()).toMatchObject({ expectedTotal: max, cashIn: max - 10_000 });
    expect((await move('cash_out', max - 10_000)).statusCode).toBe(201);
    expect((await move('cash_in', 1)).statusCode).toBe(400);
    expect((await session()).json()).toMatchObject({
      expectedTotal: 10_000,
      cashIn: max - 10_000,
      cashOut: max - 10_000,
    });
  });

  it('a closed session refuses movements and a second close, and PostgreSQL refuses changing it', async () => {
    t = await createTenant(app);
    const s = (
      await send('POST', `/registers/${t.registerIds[0]}/cash-sessions`, { openingFloat: 100 })
    ).json();
    expect((await send('POST', `/cash-sessions/${s.id}/close`, { countedTotal: 100 })).statusCode).toBe(200);
    const move = await send('POST', `/cash-sessions/${s.id}/movements`, {
      kind: 'cash_in',
      amount: 1,
      reasonCode: 'float_top_up',
    });
    expect(move.statusCode).toBe(409);
    expect(move.json().error.code).toBe('CASH_SESSION_CLOSED');
    const twice = await send('POST', `/cash-sessions/${s.id}/close`, { countedTotal: 100 });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('CASH_SESSION_CLOSED');

    const db = app.get(Database);
    const attempt = (q: string) =>
      db
        .tenant({ tenantId: t.tenantId }, (tx) => sql.raw(q).execute(tx))
        .then(
          () => 'ok',
          (e: { code?: string }) => e.code,
        );
    expect(
      await attempt(
        `update cash_sessions set counted_total = 0, over_short = -expected_total where id = '${s.id}'`,
      ),
    ).toBe('ZC001');
    expect(await attempt(`delete from cash_sessions where id = '${s.id}'`)).toMatch(/ZC001|42501/);
    expect(
      await attempt(
        `insert into cash_movements (tenant_id, id, session_id, kind, amount, reason_code, created_by)
         values ('${t.tenantId}', gen_random_uuid(), '${s.id}', 'cash_in', 1, 'float_top_up', '${t.owner.id}')`,
      ),
    ).toBe('ZC001');
    await expect(
      db.tenant({ tenantId: t.tenantId }, (tx) =>
        requireOpenCashSession(tx, { tenantId: t.tenantId }, t.registerIds[0]),
      ),
    ).rejects.toMatchObject({ code: 'NO_OPEN_CASH_SESSION' });
  });

  it('400s name the field: negative float, unknown denomination, a total that does not match', async () => {
    t = await createTenant(app);
    const neg = await send('POST', `/registers/${t.registerIds[0]}/cash-sessions`, { openingFloat: -1 });
    expect(neg.statusCode).toBe(400);
    expect(Object.keys(neg.json().error.fields)).toEqual(['openingFloat']);
    const s = (
      await send('POST', `/registers/${t.registerIds[0]}/cash-sessions`, { openingFloat: 100 })
    ).json();
    const unknown = await send('POST', `/cash-sessions/${s.id}/close`, {
      denominations: [
        { value: 100, count: 1 },
        { value: 300, count: 1 },
      ],
    });
    expect(unknown.statusCode).toBe(400);
    expect(Object.keys(unknown.json().error.fields)).toEqual(['denominations.1.value']);
    const mismatch = await send('POST', `/cash-sessions/${s.id}/close`, {
      denominations: [{ value: 100, count: 1 }],
      countedTotal: 200,
    });
    expect(mismatch.statusCode).toBe(400);
    expect(Object.keys(mismatch.json().error.fields)).toEqual(['countedTotal']);
    const badReason = await send('POST', `/cash-sessions/${s.id}/movements`, {
      kind: 'cash_in',
      amount: 1,
      reasonCode: 'safe_drop',
    });
    expect(badReason.statusCode).toBe(400);
    expect(Object.keys(badReason.json().error.fields)).toEqual(['reasonCode']);
    // Nothing half-written: still open, nothing moved.
    const still = (await send('GET', `/cash-sessions/${s.id}`)).json();
    expect(still).toMatchObject({ status: 'open', movements: [] });
  });

  it('store scope: a manager and a cashier of store 1 get 403 on store 2, a register session on another register too', async () => {
    t = await createTenant(app);
    const [, other] = t.registerIds;
    for (const u of [t.manager, t.cashier]) {
      const res = await send('POST', `/registers/${other}/cash-sessions`, { openingFloat: 0 }, u.headers);
      expect(res.statusCode).toBe(403);
      expect(
        (await send('GET', `/stores/${t.storeIds[1]}/cash-sessions`, undefined, u.headers)).statusCode,
      ).toBe(403);
    }
    const s = (await send('POST', `/registers/${other}/cash-sessions`, { openingFloat: 0 })).json();
    expect((await send('GET', `/cash-sessions/${s.id}`, undefined, t.cashier.headers)).statusCode).toBe(403);
    const own = await send(
      'POST',
      `/registers/${t.registerIds[0]}/cash-sessions`,
      { openingFloat: 0 },
      t.cashier.headers,
    );
    expect(own.statusCode).toBe(201);
  });

  it('a register (PIN) session works on its own register only; the store listing shows it its own register', async () => {
    t = await createTenant(app);
    const [s0] = t.storeIds;
    const [own] = t.registerIds;
    const second = (await send('POST', `/stores/${s0}/registers`, { name: 'Till 2' })).json().id as string;
    const token = await app.get(TokenService).sign({
      userId: t.cashier.id,
      tenantId: t.tenantId,
      role: 'cashier',
      storeIds: [s0],
      registerId: own,
      sessionKind: 'register',
      sessionVersion: 1,
    });
    const till = { authorization: `Bearer ${token}` };
    expect(
      (await send('POST', `/registers/${second}/cash-sessions`, { openingFloat: 0 }, till)).statusCode,
    ).toBe(403);
    const mine = await send('POST', `/registers/${own}/cash-sessions`, { openingFloat: 0 }, till);
    expect(mine.statusCode).toBe(201);
    const theirs = (await send('POST', `/registers/${second}/cash-sessions`, { openingFloat: 0 })).json();
    expect((await send('GET', `/cash-sessions/${theirs.id}`, undefined, till)).statusCode).toBe(403);
    const closeTheirs = await send('POST', `/cash-sessions/${theirs.id}/close`, { countedTotal: 0 }, till);
    expect(closeTheirs.statusCode).toBe(403);
    const listed = (await send('GET', `/stores/${s0}/cash-sessions`, undefined, till)).json();
    expect(listed.items.map((i: { id: string }) => i.id)).toEqual([mine.json().id]);

    // The owner pages through both, newest first.
    const page1 = (await send('GET', `/stores/${s0}/cash-sessions?limit=1`)).json();
    expect(page1.items.map((i: { id: string }) => i.id)).toEqual([theirs.id]);
    const page2 = (
      await send('GET', `/stores/${s0}/cash-sessions?limit=1&cursor=${page1.nextCursor}`)
    ).json();
    expect(page2).toEqual({ items: [expect.objectContaining({ id: mine.json().id })], nextCursor: null });
  });

  it('a close racing 10 cash ins counts exactly the ones that got in; the others are refused and the till ends at zero', async () => {
    t = await createTenant(app);
    const s = (
      await send('POST', `/registers/${t.registerIds[0]}/cash-sessions`, { openingFloat: 1_000 })
    ).json();
    const moves = Array.from({ length: 10 }, () =>
      send('POST', `/cash-sessions/${s.id}/movements`, {
        kind: 'cash_in',
        amount: 100,
        reasonCode: 'float_top_up',
      }),
    );
    const close = send('POST', `/cash-sessions/${s.id}/close`, { countedTotal: 1_500 });
    const [closed, ...results] = await Promise.all([close, ...moves]);
    expect(closed!.statusCode, closed!.body).toBe(200);
    const accepted = results.filter((r) => r.statusCode === 201).length;
    expect(results.filter((r) => r.statusCode === 409).length).toBe(10 - accepted);
    const final = (await send('GET', `/cash-sessions/${s.id}`)).json();
    expect(final.movements).toHaveLength(accepted);
    expect(final).toMatchObject({ expectedTotal: 1_000 + 100 * accepted, overShort: 500 - 100 * accepted });
    expect((await balances(app, t.tenantId)).get('cash_on_hand')).toBe(0);
  });
});
