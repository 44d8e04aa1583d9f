import { describe, expect, it } from 'vitest';
import { createProducts } from '../../inventory/inventory.test-fixtures.js';
import { useApiHarness } from '../../test/api-harness.js';
import { createTenant, type TestTenant } from '../../test/fixtures.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Adjustments tenant A makes between two looks of tenant B. */
const N = 7;

interface Page {
  items: { id: unknown }[];
  nextCursor: string | null;
}

/** What a cursor would say if it were readable: the JSON inside its base64url, or null. */
function readable(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/**
 * Ids and cursors come from sequences every tenant shares (audit_log.id, stock_movements.seq, transfers.seq,
 * stock_counts.seq). Nothing derived from them may reach a tenant: tenant B, looking before and after
 * tenant A's N adjustments, must not be able to count them.
 */
describe("ids and cursors reveal nothing of another tenant's activity", () => {
  const api = useApiHarness();
  const { call } = api;

  async function adjust(t: TestTenant, productId: string): Promise<void> {
    const res = await call(t, 'owner', 'POST', `/stores/${t.storeIds[0]}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [{ productId, quantity: 1000 }],
    });
    expect(res.statusCode).toBe(201);
  }
  const read = async (t: TestTenant, url: string): Promise<Page> => {
    const res = await call(t, 'owner', 'GET', url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };
  /** B's newest audit entry and movement page, as B sees them. */
  const look = async (t: TestTenant) => ({
    audit: await read(t, '/audit-log?limit=1'),
    movements: await read(t, `/stores/${t.storeIds[0]}/stock/movements?limit=1`),
  });

  async function scenario() {
    const [a, b] = await Promise.all([createTenant(api.app), createTenant(api.app)]);
    const [pa] = await createProducts(api.app, a.tenantId, [{}]);
    const [pb] = await createProducts(api.app, b.tenantId, [{}]);
    await adjust(b, pb!);
    await adjust(b, pb!);
    const before = await look(b);
    for (let i = 0; i < N; i++) await adjust(a, pa!);
    await adjust(b, pb!);
    const after = await look(b);
    return { a, b, before, after };
  }

  it('audit ids are UUIDs, not numbers B could subtract', async () => {
    const { before, after } = await scenario();
    const [first, second] = [before.audit.items[0]!.id, after.audit.items[0]!.id];
    const moved = typeof first === 'number' && typeof second === 'number' ? second - first - 1 : null;
    expect(moved, `B's own next audit id moved by ${moved} past its own entry`).toBeNull();
    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(first).not.toBe(second);
  });

  it('cursors are sealed: not readable, and the same length whatever other tenants did', async () => {
    const { before, after } = await scenario();
    for (const page of [before.audit, before.movements, after.audit, after.movements]) {
      expect(page.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(readable(page.nextCursor!)).toBeNull();
    }
    expect(after.movements.nextCursor!.length).toBe(before.movements.nextCursor!.length);
    expect(after.audit.nextCursor!.length).toBe(before.audit.nextCursor!.length);
  });

  it("B's cursors page B's lists; A presenting them gets a 400 naming cursor", async () => {
    const { a, b, after } = await scenario();
    const moves = await read(
      b,
      `/stores/${b.storeIds[0]}/stock/movements?limit=1&cursor=${after.movements.nextCursor}`,
    );
    expect(moves.items).toHaveLength(1);
    const all = await read(b, `/stores/${b.storeIds[0]}/stock/movements`);
    expect(moves.items[0]!.id).toBe(all.items[1]!.id);
    const audit = await read(b, `/audit-log?limit=1&cursor=${after.audit.nextCursor}`);
    expect(audit.items).toHaveLength(1);

    for (const url of [
      `/stores/${a.storeIds[0]}/stock/movements?cursor=${after.movements.nextCursor}`,
      `/audit-log?cursor=${after.audit.nextCursor}`,
    ]) {
      const res = await call(a, 'owner', 'GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(Object.keys(res.json().error.fields)).toEqual(['cursor']);
    }
  });

  it('a forged, altered, unsealed or NUL-holding cursor is a 400 naming cursor', async () => {
    const { b, after } = await scenario();
    const sealed = after.movements.nextCursor!;
    const flipped = `${sealed.slice(0, 20)}${sealed[20] === 'A' ? 'B' : 'A'}${sealed.slice(21)}`;
    const movements = `/stores/${b.storeIds[0]}/stock/movements`;
    const refused = async (url: string) => {
      const res = await call(b, 'owner', 'GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(Object.keys(res.json().error.fields), url).toEqual(['cursor']);
    };
    for (const cursor of [
      flipped,
      sealed.slice(0, -1),
      Buffer.from(JSON.stringify([1])).toString('base64url'),
      Buffer.from('[2]\0').toString('base64url'),
      'a%00b',
    ])
      await refused(`${movements}?cursor=${cursor}`);
    // B's own cursor of one listing on another.
    await refused(`/audit-log?cursor=${sealed}`);
    await refused(`${movements}?cursor=${after.audit.nextCursor}`);
  });
});
