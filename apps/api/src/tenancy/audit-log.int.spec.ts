import { describe, expect, it } from 'vitest';
import { createProducts } from '../inventory/inventory.test-fixtures.js';
import { uniqueEmail } from '../test/test-app.js';
import { useApiHarness, type Who } from '../test/api-harness.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';

interface Entry {
  id: string;
  data: Record<string, unknown>;
  at: string;
  action: string;
  entityType: string;
  entityId: string | null;
  actorUserId: string | null;
  ip: string | null;
  userAgent: string | null;
}

describe('audit log', () => {
  const api = useApiHarness({}, { headers: { 'user-agent': 'till/1.0' } });
  const { call } = api;
  const read = async (t: TestTenant, qs = '', who: Who = 'owner') => {
    const res = await call(t, who, 'GET', `/audit-log${qs}`);
    expect(res.statusCode).toBe(200);
    return res.json() as { items: Entry[]; nextCursor: string | null };
  };

  /** Five entries; the last two come from one transaction and share their `at`. */
  async function activity(t: TestTenant): Promise<void> {
    await call(t, 'owner', 'PATCH', '/tenant', { cashRoundingIncrement: 5 });
    const store = await call(t, 'owner', 'POST', '/stores', { code: 'S3', name: 'Third' });
    await call(t, 'manager', 'POST', `/stores/${t.storeIds[0]}/registers`, { name: 'Till 2' });
    await call(t, 'owner', 'PATCH', `/users/${t.cashier.id}`, { role: 'manager', active: false });
    expect(store.statusCode).toBe(201);
  }

  it('lists entries newest first with who, what and from where', async () => {
    const t = await createTenant(api.app);
    await activity(t);
    const { items, nextCursor } = await read(t);
    expect(nextCursor).toBeNull();
    expect(items.map((e) => e.action)).toEqual([
      'user.deactivated',
      'user.role_changed',
      'register.created',
      'store.created',
      'tenant.updated',
    ]);
    expect(items[0]).toMatchObject({
      entityType: 'user',
      entityId: t.cashier.id,
      actorUserId: t.owner.id,
      ip: '127.0.0.1',
      userAgent: 'till/1.0',
    });
    expect(items[0]!.at).toBe(items[1]!.at);
    expect(items[2]!.actorUserId).toBe(t.manager.id);
    expect(items[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('pages one entry at a time through entries sharing a timestamp, in the same order', async () => {
    const t = await createTenant(api.app);
    await activity(t);
    const all = (await read(t)).items.map((e) => e.id);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Entry[]; nextCursor: string | null } = await read(
        t,
        `?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      walked.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all);
    const two = await read(t, '?limit=2');
    expect(two.items).toHaveLength(2);
    expect((await read(t, `?limit=2&cursor=${two.nextCursor}`)).items.map((e) => e.id)).toEqual(
      all.slice(2, 4),
    );
  });

  it('filters by action, entity type and time window', async () => {
    const t = await createTenant(api.app);
    await activity(t);
    expect((await read(t, '?action=store.created')).items.map((e) => e.action)).toEqual(['store.created']);
    expect((await read(t, '?entityType=user')).items).toHaveLength(2);
    const all = (await read(t)).items;
    const newest = all[0]!.at;
    expect((await read(t, `?from=${encodeURIComponent(newest)}`)).items.map((e) => e.id)).toEqual([
      all[0]!.id,
      all[1]!.id,
    ]);
    expect((await read(t, `?to=${encodeURIComponent(newest)}`)).items.map((e) => e.id)).toEqual(
      all.slice(2).map((e) => e.id),
    );
    expect((await read(t, '?from=2999-01-01T00:00:00Z')).items).toEqual([]);
  });

  it('managers read it too (scoped to their stores, below); cashiers may not', async () => {
    const t = await createTenant(api.app);
    await activity(t);
    expect((await read(t, '', 'manager')).items.length).toBeGreaterThan(0);
    const res = await call(t, 'cashier', 'GET', '/audit-log');
    expect(res.statusCode).toBe(403);
  });

  it("shows nothing of another tenant's log", async () => {
    const a = await createTenant(api.app);
    const b = await createTenant(api.app);
    await activity(a);
    expect((await read(b)).items).toEqual([]);
  });

  it.each([
    ['?cursor=not-a-cursor', 'cursor'],
    [`?cursor=${Buffer.from(JSON.stringify(['x', 1])).toString('base64url')}`, 'cursor'],
    ['?limit=201', 'limit'],
    ['?from=yesterday', 'from'],
    ['?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z', 'to'],
    [`?action=${'a'.repeat(101)}`, 'action'],
    ['?actor=me', 'actor'],
  ])('rejects %s naming %s', async (qs, field) => {
    const t = await createTenant(api.app);
    const res = await call(t, 'owner', 'GET', `/audit-log${qs}`);
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toContain(field);
  });

  describe('store scope', () => {
    const ok = async (t: TestTenant, method: 'POST' | 'PATCH', url: string, body: unknown) => {
      const res = await call(t, 'owner', method, url, body);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
      return res.json() as { id: string };
    };

    /**
     * The owner's activity in the manager's store (s1) and outside it (s2, s3), each entry labelled with what
     * a manager of s1 may see: store-bound entries of s1 (a transfer touching it included), the tenant's
     * catalog, and entries about users who work in s1. Not: other stores, tenant settings, other users.
     */
    async function storeActivity(t: TestTenant) {
      const [s1, s2] = t.storeIds;
      const [product] = await createProducts(api.app, t.tenantId, [{}]);
      const lines = [{ productId: product!, quantity: 1000 }];
      const seen: { action: string; visible: boolean; storeId?: string }[] = [];
      const adjust = async (storeId: string, visible: boolean) => {
        await ok(t, 'POST', `/stores/${storeId}/stock/adjustments`, {
          reasonCode: 'received',
          note: `delivery to ${storeId}`,
          lines,
        });
        seen.push({ action: 'inventory.adjustment', visible, storeId });
      };
      await adjust(s1, true);
      await adjust(s2, false);
      await ok(t, 'POST', `/stores/${s1}/registers`, { name: 'Till 9' });
      seen.push({ action: 'register.created', visible: true });
      await ok(t, 'POST', `/stores/${s2}/registers`, { name: 'Till 9' });
      seen.push({ action: 'register.created', visible: false });
      await ok(t, 'PATCH', `/stores/${s1}`, { name: 'First, renamed' });
      seen.push({ action: 'store.updated', visible: true });
      const s3 = (await ok(t, 'POST', '/stores', { code: 'S3', name: 'Third' })).id;
      seen.push({ action: 'store.created', visible: false });
      await ok(t, 'POST', '/transfers', { fromStoreId: s2, toStoreId: s1, lines });
      seen.push({ action: 'inventory.transfer.send', visible: true });
      await ok(t, 'POST', '/transfers', { fromStoreId: s2, toStoreId: s3, lines });
      seen.push({ action: 'inventory.transfer.send', visible: false });
      await ok(t, 'PATCH', '/tenant', { cashRoundingIncrement: 5 });
      seen.push({ action: 'tenant.updated', visible: false });
      await ok(t, 'POST', '/tax-categories', { name: 'Reduced', rates: [{ name: 'VAT', rateBp: 700 }] });
      seen.push({ action: 'tax_category.created', visible: true });
      await ok(t, 'POST', '/users', {
        email: uniqueEmail('s2-cashier'),
        name: 'Second store cashier',
        role: 'cashier',
        password: 'correct horse battery staple',
        storeIds: [s2],
      });
      seen.push({ action: 'user.created', visible: false });
      await ok(t, 'PATCH', `/users/${t.cashier.id}`, { name: 'First store cashier' });
      seen.push({ action: 'user.updated', visible: true });
      return seen;
    }

    it("a manager of store 1 reads store 1's entries and the catalog's, not store 2's; the owner reads all", async () => {
      const t = await createTenant(api.app);
      const seen = await storeActivity(t);
      const owner = (await read(t)).items.map((e) => e.action);
      for (const { action } of seen) expect(owner).toContain(action);

      const manager = (await read(t, '', 'manager')).items;
      const byAction = (visible: boolean) =>
        seen
          .filter((e) => e.visible === visible)
          .map((e) => e.action)
          .sort();
      const visibleActions = manager.map((e) => e.action).filter((a) => seen.some((e) => e.action === a));
      expect(visibleActions.sort()).toEqual(byAction(true));
      expect(manager.map((e) => e.action)).not.toContain('tenant.updated');
      expect(manager.map((e) => e.action)).not.toContain('store.created');
      expect(manager.map((e) => e.action)).not.toContain('user.created');
      const adjustments = manager.filter((e) => e.action === 'inventory.adjustment');
      expect(adjustments.map((e) => e.data.storeId)).toEqual([t.storeIds[0]]);
      expect(JSON.stringify(manager)).not.toContain(`delivery to ${t.storeIds[1]}`);
    });

    it("filters and pages stay inside the manager's stores", async () => {
      const t = await createTenant(api.app);
      await storeActivity(t);
      const adjustments = await read(t, '?entityType=stock_adjustment', 'manager');
      expect(adjustments.items.map((e) => e.data.storeId)).toEqual([t.storeIds[0]]);
      const all = (await read(t, '', 'manager')).items.map((e) => e.id);
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Entry[]; nextCursor: string | null } = await read(
          t,
          `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          'manager',
        );
        walked.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(walked).toEqual(all);
    });

    it('as GET /stores/{store 2}/stock/movements, which is 403 for that manager', async () => {
      const t = await createTenant(api.app);
      await storeActivity(t);
      expect((await call(t, 'manager', 'GET', `/stores/${t.storeIds[1]}/stock/movements`)).statusCode).toBe(
        403,
      );
      const entries = (await read(t, '', 'manager')).items;
      expect(
        entries.filter(
          (e) => JSON.stringify(e.data).includes(t.storeIds[1]) && e.action !== 'inventory.transfer.send',
        ),
      ).toEqual([]);
    });
  });
});
