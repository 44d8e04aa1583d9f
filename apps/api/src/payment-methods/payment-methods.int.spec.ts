import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenService } from '../auth/token.service.js';
import { Database } from '../db/database.js';
import { checkedInject } from '../test/contract-check.js';
import { useApiHarness } from '../test/api-harness.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { findActivePaymentMethods } from './payment-method-read.js';

describe('payment methods', () => {
  const api = useApiHarness();
  const { call, rowCount } = api;

  const create = (t: TestTenant, code: string, name: string) =>
    call(t, 'owner', 'POST', '/payment-methods', { code, name });

  // Found by the fuzzer (a 500): a query key an object inherits, beside another unknown one.
  it('names unknown query keys, __proto__ included, in a 400', async () => {
    const t = await createTenant(api.app);
    const res = await call(t, 'cashier', 'GET', '/payment-methods?__proto__=Echo&x=1');
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body) as { error: { code: string; message: string; fields: object } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toBe('invalid query: __proto__, x');
    expect(Object.keys(body.error.fields)).toEqual(['__proto__', 'x']);
  });

  it('an owner adds methods; every role lists them by name, filtered by active; it is audited', async () => {
    const t = await createTenant(api.app);
    const voucher = await create(t, 'voucher', 'Voucher');
    expect(voucher.statusCode).toBe(201);
    expect(voucher.json()).toMatchObject({
      id: expect.any(String),
      code: 'voucher',
      name: 'Voucher',
      active: true,
    });
    const gift = (await create(t, 'gift-card', ' Gift card ')).json();
    expect(gift.name).toBe('Gift card');
    await call(t, 'owner', 'PATCH', `/payment-methods/${voucher.json().id}`, { active: false });
    for (const who of ['owner', 'manager', 'cashier'] as const) {
      const all = await call(t, who, 'GET', '/payment-methods');
      expect(all.statusCode).toBe(200);
      expect(all.json().items.map((m: { code: string }) => m.code)).toEqual(['gift-card', 'voucher']);
    }
    const active = await call(t, 'cashier', 'GET', '/payment-methods?active=true');
    expect(active.json().items.map((m: { code: string }) => m.code)).toEqual(['gift-card']);
    const inactive = await call(t, 'cashier', 'GET', '/payment-methods?active=false');
    expect(inactive.json().items.map((m: { code: string }) => m.code)).toEqual(['voucher']);
    const audit = await api.su.query(
      `select action, actor_user_id from audit_log
        where tenant_id = $1 and entity_type = 'payment_method' and entity_id = $2 order by id`,
      [t.tenantId, voucher.json().id],
    );
    expect(audit.rows).toEqual([
      { action: 'payment_method.created', actor_user_id: t.owner.id },
      { action: 'payment_method.updated', actor_user_id: t.owner.id },
    ]);
  });

  it('creating a method creates its clearing account, which the owner sees in the chart', async () => {
    const t = await createTenant(api.app);
    await create(t, 'gift-card', 'Gift card');
    await create(t, 'voucher', 'Voucher');
    const accounts = (await call(t, 'owner', 'GET', '/accounting/accounts')).json().items as {
      code: string;
      name: string;
      type: string;
      purpose: string | null;
      tenderKey: string | null;
    }[];
    // The base account 1020 has the purpose too, with no tender key.
    const clearing = accounts.filter((a) => a.purpose === 'other_tender_clearing' && a.tenderKey !== null);
    expect(
      clearing
        .map(({ name, type, tenderKey }) => ({ name, type, tenderKey }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual([
      { name: 'Clearing: Gift card', type: 'asset', tenderKey: 'gift-card' },
      { name: 'Clearing: Voucher', type: 'asset', tenderKey: 'voucher' },
    ]);
    expect(new Set(clearing.map((a) => a.code)).size).toBe(2);
  });

  it('renames and deactivates; the code and the clearing account stay; audited with the changes', async () => {
    const t = await createTenant(api.app);
    const m = (await create(t, 'bank', 'Bank transfer')).json();
    const res = await call(t, 'owner', 'PATCH', `/payment-methods/${m.id}`, { name: 'Wire', active: false });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...m, name: 'Wire', active: false });
    const back = await call(t, 'owner', 'PATCH', `/payment-methods/${m.id}`, { active: true });
    expect(back.json()).toMatchObject({ code: 'bank', name: 'Wire', active: true });
    const audit = await api.su.query(
      `select data from audit_log where tenant_id = $1 and action = 'payment_method.updated' order by id`,
      [t.tenantId],
    );
    expect(audit.rows[0].data.changes).toEqual({
      name: { from: 'Bank transfer', to: 'Wire' },
      active: { from: true, to: false },
    });
    const keyed = await api.su.query(
      `select count(*)::int as n from accounts where tenant_id = $1 and purpose = 'other_tender_clearing' and tender_key is not null`,
      [t.tenantId],
    );
    expect(keyed.rows[0].n).toBe(1);
    // The code is not a field of the PATCH body.
    const recode = await call(t, 'owner', 'PATCH', `/payment-methods/${m.id}`, { code: 'wire' });
    expect(recode.statusCode).toBe(400);
    expect(recode.json().error.fields).toHaveProperty('code');
  });

  it('a code already taken is a 409 naming code, also for two creates at once; nothing half-written', async () => {
    const t = await createTenant(api.app);
    await create(t, 'voucher', 'Voucher');
    const dup = await create(t, 'voucher', 'Another voucher');
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'CONFLICT', fields: { code: expect.any(Array) } });
    const racing = await Promise.all(Array.from({ length: 6 }, (_, i) => create(t, 'gift', `Gift ${i}`)));
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of racing.filter((r) => r.statusCode === 409)) {
      expect(r.json().error.fields).toHaveProperty('code');
    }
    expect(await rowCount('payment_methods', t.tenantId)).toBe(2);
    const keyed = await api.su.query(
      `select tender_key from accounts where tenant_id = $1 and purpose = 'other_tender_clearing' and tender_key is not null order by 1`,
      [t.tenantId],
    );
    expect(keyed.rows).toEqual([{ tender_key: 'gift' }, { tender_key: 'voucher' }]);
  });

  it.each([
    [{ name: 'Voucher' }, 'code'],
    [{ code: 'Voucher', name: 'Voucher' }, 'code'],
    [{ code: '-voucher', name: 'Voucher' }, 'code'],
    [{ code: 'gift card', name: 'Voucher' }, 'code'],
    [{ code: 'x'.repeat(41), name: 'Voucher' }, 'code'],
    [{ code: 'voucher\u0000', name: 'Voucher' }, 'code'],
    [{ code: 'voucher' }, 'name'],
    [{ code: 'voucher', name: '  ' }, 'name'],
    [{ code: 'voucher', name: 'x'.repeat(61) }, 'name'],
    [{ code: 'voucher', name: 'Voucher', active: false }, 'active'],
  ])('rejects the create %j naming %s', async (payload, field) => {
    const t = await createTenant(api.app);
    const res = await call(t, 'owner', 'POST', '/payment-methods', payload);
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toContain(field);
    expect(await rowCount('payment_methods', t.tenantId)).toBe(0);
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ active: 'no' }, 'active'],
    [{ name: 'ok', extra: 1 }, 'extra'],
  ])('rejects the update %j naming %s', async (payload, field) => {
    const t = await createTenant(api.app);
    const m = (await create(t, 'voucher', 'Voucher')).json();
    const res = await call(t, 'owner', 'PATCH', `/payment-methods/${m.id}`, payload);
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toContain(field);
    expect((await call(t, 'owner', 'PATCH', `/payment-methods/${m.id}`, {})).statusCode).toBe(400);
    const bad = await call(t, 'owner', 'GET', '/payment-methods?active=maybe');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('active');
  });

  it('only owners administer methods; a register session of the owner lists them but cannot create or change', async () => {
    const t = await createTenant(api.app);
    const m = (await create(t, 'voucher', 'Voucher')).json();
    for (const who of ['manager', 'cashier'] as const) {
      expect(
        (await call(t, who, 'POST', '/payment-methods', { code: 'gift', name: 'Gift' })).statusCode,
      ).toBe(403);
      expect((await call(t, who, 'PATCH', `/payment-methods/${m.id}`, { active: false })).statusCode).toBe(
        403,
      );
    }
    const till = await api.app.get(TokenService).sign({
      userId: t.owner.id,
      tenantId: t.tenantId,
      role: 'owner',
      storeIds: [t.storeIds[0]],
      registerId: t.registerIds[0],
      sessionKind: 'register',
      sessionVersion: 1,
    });
    const asTill = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      checkedInject(api.app, {
        method,
        url,
        headers: { authorization: `Bearer ${till}` },
        ...(payload ? { payload } : {}),
      });
    expect((await asTill('GET', '/payment-methods')).json().items).toHaveLength(1);
    const refused = await asTill('POST', '/payment-methods', { code: 'gift', name: 'Gift' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('FORBIDDEN');
    expect((await asTill('PATCH', `/payment-methods/${m.id}`, { active: false })).statusCode).toBe(403);
    expect(await rowCount('payment_methods', t.tenantId)).toBe(1);
    expect((await call(t, 'owner', 'GET', '/payment-methods')).json().items[0].active).toBe(true);
  });

  it("tenants are apart: one code in two tenants, another tenant's method is not found nor listed", async () => {
    const t = await createTenant(api.app);
    const other = await createTenant(api.app);
    const mine = (await create(t, 'voucher', 'Voucher')).json();
    const theirs = await create(other, 'voucher', 'Their voucher');
    expect(theirs.statusCode).toBe(201);
    const patch = await call(t, 'owner', 'PATCH', `/payment-methods/${theirs.json().id}`, { name: 'Taken' });
    expect(patch.statusCode).toBe(404);
    expect(
      (await call(t, 'owner', 'PATCH', `/payment-methods/${randomUUID()}`, { name: 'X' })).statusCode,
    ).toBe(404);
    expect((await call(t, 'owner', 'GET', '/payment-methods')).json().items).toEqual([mine]);
    expect((await call(other, 'owner', 'GET', '/payment-methods')).json().items).toEqual([
      expect.objectContaining({ code: 'voucher', name: 'Their voucher' }),
    ]);
  });

  it("findActivePaymentMethods finds of the codes asked those of the tenant's methods that are active", async () => {
    const t = await createTenant(api.app);
    const other = await createTenant(api.app);
    const voucher = (await create(t, 'voucher', 'Voucher')).json();
    const gift = (await create(t, 'gift', 'Gift card')).json();
    await create(other, 'bank', 'Bank transfer');
    await call(t, 'owner', 'PATCH', `/payment-methods/${gift.id}`, { active: false });
    const db = api.app.get(Database);
    const found = await db.tenant({ tenantId: t.tenantId }, (tx) =>
      findActivePaymentMethods(tx, { tenantId: t.tenantId }, ['voucher', 'gift', 'bank', 'voucher', 'none']),
    );
    expect([...found.entries()]).toEqual([['voucher', { id: voucher.id, code: 'voucher', name: 'Voucher' }]]);
    expect(await db.tenant({ tenantId: t.tenantId }, (tx) => findActivePaymentMethods(tx, t, []))).toEqual(
      new Map(),
    );
  });

  it('a deactivation waits for the unit of work that found the method active, then applies', async () => {
    const t = await createTenant(api.app);
    const m = (await create(t, 'voucher', 'Voucher')).json();
    const db = api.app.get(Database);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const sale = db.tenant({ tenantId: t.tenantId }, async (tx) => {
      const found = await findActivePaymentMethods(tx, t, ['voucher']);
      locked();
      await held;
      return found.size;
    });
    await isLocked;
    let patched = false;
    const patch = call(t, 'owner', 'PATCH', `/payment-methods/${m.id}`, { active: false }).then((r) => {
      patched = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(patched).toBe(false);
    release();
    expect(await sale).toBe(1);
    expect((await patch).json().active).toBe(false);
    const after = await db.tenant({ tenantId: t.tenantId }, (tx) =>
      findActivePaymentMethods(tx, t, ['voucher']),
    );
    expect(after.size).toBe(0);
  });
});
