import { describe, expect, it } from 'vitest';
import { useApiHarness, type Who } from '../test/api-harness.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';

interface Entry {
  id: string;
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

  it('managers read it too; cashiers may not', async () => {
    const t = await createTenant(api.app);
    await activity(t);
    expect((await read(t, '', 'manager')).items).toHaveLength(5);
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
});
