import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { checkedInject } from '../test/contract-check.js';

describe('tenant settings', () => {
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

  const get = (t: TestTenant, who: 'owner' | 'manager' | 'cashier' = 'owner') =>
    checkedInject(app, { method: 'GET', url: '/tenant', headers: t[who].headers });
  const patch = (t: TestTenant, payload: unknown, who: 'owner' | 'manager' | 'cashier' = 'owner') =>
    checkedInject(app, {
      method: 'PATCH',
      url: '/tenant',
      headers: t[who].headers,
      payload: payload as object,
    });

  it('every role reads its own tenant with the defaults', async () => {
    const t = await createTenant(app, { currency: 'GBP' });
    for (const who of ['owner', 'manager', 'cashier'] as const) {
      const res = await get(t, who);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        id: t.tenantId,
        currency: 'GBP',
        locale: 'en-US',
        pricesIncludeTax: true,
        cashRoundingIncrement: 1,
        weightedBarcodePrefixes: [],
      });
    }
  });

  it('the owner changes every setting, canonicalising the locale, and the change is audited', async () => {
    const t = await createTenant(app);
    const res = await patch(t, {
      name: '  Corner Shop  ',
      currency: 'CHF',
      locale: 'fr-ch',
      pricesIncludeTax: false,
      cashRoundingIncrement: 5,
      weightedBarcodePrefixes: [
        { prefix: '21', kind: 'weight' },
        { prefix: '28', kind: 'price' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const expected = {
      id: t.tenantId,
      name: 'Corner Shop',
      currency: 'CHF',
      locale: 'fr-CH',
      pricesIncludeTax: false,
      cashRoundingIncrement: 5,
      weightedBarcodePrefixes: [
        { prefix: '21', kind: 'weight' },
        { prefix: '28', kind: 'price' },
      ],
    };
    expect(res.json()).toMatchObject(expected);
    expect((await get(t, 'cashier')).json()).toMatchObject(expected);

    const audit = await su.query(
      `select actor_user_id, entity_id, data from audit_log where tenant_id = $1 and action = 'tenant.updated'`,
      [t.tenantId],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].actor_user_id).toBe(t.owner.id);
    expect(audit.rows[0].data.changes.currency).toEqual({ from: 'EUR', to: 'CHF' });
    expect(audit.rows[0].data.changes.locale).toEqual({ from: 'en-US', to: 'fr-CH' });
    expect(Object.keys(audit.rows[0].data.changes)).not.toContain('createdAt');
  });

  it('a partial change leaves the other settings alone', async () => {
    const t = await createTenant(app);
    const res = await patch(t, { cashRoundingIncrement: 10 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ currency: 'EUR', cashRoundingIncrement: 10, pricesIncludeTax: true });
  });

  it('managers and cashiers may not change settings, and nothing changes', async () => {
    const t = await createTenant(app);
    for (const who of ['manager', 'cashier'] as const) {
      const res = await patch(t, { name: 'Hijacked' }, who);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    expect((await get(t)).json().name).not.toBe('Hijacked');
  });

  it.each([
    [{ currency: 'EURO' }, 'currency'],
    [{ currency: 'eur' }, 'currency'],
    [{ currency: 'ABC' }, 'currency'],
    [{ locale: 'EURO' }, 'locale'],
    [{ locale: 'not a locale' }, 'locale'],
    [{ locale: 42 }, 'locale'],
    [{ name: 'x'.repeat(121) }, 'name'],
    [{ name: '   ' }, 'name'],
    [{ pricesIncludeTax: 'yes' }, 'pricesIncludeTax'],
    [{ cashRoundingIncrement: 0 }, 'cashRoundingIncrement'],
    [{ cashRoundingIncrement: 2.5 }, 'cashRoundingIncrement'],
    [{ cashRoundingIncrement: '5' }, 'cashRoundingIncrement'],
    [{ weightedBarcodePrefixes: [{ prefix: '30', kind: 'weight' }] }, 'weightedBarcodePrefixes.0.prefix'],
    [{ weightedBarcodePrefixes: [{ prefix: '21', kind: 'volume' }] }, 'weightedBarcodePrefixes.0.kind'],
    [
      { weightedBarcodePrefixes: [{ prefix: '21', kind: 'weight', extra: 1 }] },
      'weightedBarcodePrefixes.0.extra',
    ],
    [
      {
        weightedBarcodePrefixes: [
          { prefix: '21', kind: 'weight' },
          { prefix: '21', kind: 'price' },
        ],
      },
      'weightedBarcodePrefixes.1.prefix',
    ],
    [{ name: 'Fine', plan: 'enterprise' }, 'plan'],
    [{}, 'body'],
  ])('rejects %j naming %s, changing nothing', async (payload, field) => {
    const t = await createTenant(app);
    const before = (await get(t)).json();
    const res = await patch(t, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.json().error.fields)).toContain(field);
    expect((await get(t)).json()).toEqual(before);
  });

  it('rejects malformed JSON', async () => {
    const t = await createTenant(app);
    const res = await checkedInject(app, {
      method: 'PATCH',
      url: '/tenant',
      headers: { ...t.owner.headers, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('MALFORMED_JSON');
  });

  it("one tenant's owner changes only its own tenant", async () => {
    const a = await createTenant(app);
    const b = await createTenant(app);
    expect((await patch(a, { name: 'Only A' })).statusCode).toBe(200);
    expect((await get(b)).json()).toMatchObject({
      id: b.tenantId,
      name: expect.not.stringMatching('Only A'),
    });
  });

  it('requires a token', async () => {
    expect((await checkedInject(app, { method: 'GET', url: '/tenant' })).statusCode).toBe(401);
  });
});
