import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppConnection, useEventsDatabase } from './events.test-fixtures.js';

/**
 * The relay's passes (0021): a tenant's rows come out in seq order, and never ahead of a lower seq whose
 * transaction is still open, whichever transaction drew its xid or its seq first.
 */
describe('the outbox relay barrier', () => {
  const events = useEventsDatabase('zakpos_outbox_order');
  let a: AppConnection;
  let b: AppConnection;
  let relay: AppConnection;
  beforeAll(async () => {
    [a, b, relay] = await Promise.all([events.appClient(), events.appClient(), events.appClient()]);
  });
  afterAll(async () => {
    await Promise.all([a, b, relay].map((c) => c?.end()));
  });

  /** A relay pass for one tenant: 'waiting' while its barrier has not passed, else the seqs it may publish. */
  const ready = async (tenantId: string): Promise<number[] | 'waiting'> => {
    const cut = (
      await relay.client.query<{ barrier: string; upto: string }>(
        'select barrier::text, upto from app_outbox_barrier() where tenant_id = $1',
        [tenantId],
      )
    ).rows;
    if (cut.length === 0) return [];
    const passed = await relay.client.query('select app_outbox_barrier_passed($1::xid8) as ok', [
      cut[0]!.barrier,
    ]);
    if (!passed.rows[0].ok) return 'waiting';
    const rows = await relay.client.query<{ seq: string }>(
      'select seq from app_outbox_ready($1::uuid[], $2::bigint[], 1000)',
      [[tenantId], [cut[0]!.upto]],
    );
    return rows.rows.map((r) => Number(r.seq));
  };
  const publish = async (tenantId: string) => {
    const seqs = await ready(tenantId);
    if (seqs === 'waiting') throw new Error('the barrier has not passed');
    await relay.client.query('select app_outbox_mark_published($1::uuid[], $2::bigint[])', [
      seqs.map(() => tenantId),
      seqs,
    ]);
    return seqs;
  };

  it('holds back a committed row while a lower seq of its tenant is in an open transaction', async () => {
    const t = await events.addTenant();
    await a.begin(t);
    const low = await a.event(t);
    await b.begin(t);
    const high = await b.event(t);
    await b.client.query('commit');
    expect(high).toBe(low + 1);
    expect(await ready(t)).toBe('waiting');
    await a.client.query('commit');
    expect(await publish(t)).toEqual([low, high]);
    expect(await ready(t)).toEqual([]);
  });

  it('holds back a row whose transaction drew its xid first while another drew the lower seq', async () => {
    const t = await events.addTenant();
    await a.begin(t);
    await a.client.query('select pg_current_xact_id()'); // a has the older xid…
    await b.begin(t);
    const low = await b.event(t); // …b the lower seq
    const high = await a.event(t);
    await a.client.query('commit');
    // a's xid is below the oldest running one (b's): a rule on the row's own xid would publish `high` now.
    expect(await ready(t)).toBe('waiting');
    await b.client.query('commit');
    expect(await publish(t)).toEqual([low, high]);
  });

  it('does not wait for a lower seq that rolled back: the gap stays a gap', async () => {
    const t = await events.addTenant();
    await a.begin(t);
    const gone = await a.event(t);
    await b.begin(t);
    const kept = await b.event(t);
    await b.client.query('commit');
    await a.client.query('rollback');
    expect(kept).toBe(gone + 1);
    expect(await publish(t)).toEqual([kept]);
  });

  it('gives each tenant its rows in seq order, taking the tenants in turn', async () => {
    const [t1, t2] = [await events.addTenant(), await events.addTenant()];
    const s1: number[] = [];
    await a.begin(t1);
    for (let i = 0; i < 3; i++) s1.push(await a.event(t1));
    await a.client.query('commit');
    await a.begin(t2);
    const s2 = await a.event(t2);
    await a.client.query('commit');
    const upto = [s1[2]!, s2];
    const rows = (
      await relay.client.query<{ tenant_id: string; seq: string }>(
        'select tenant_id, seq from app_outbox_ready($1::uuid[], $2::bigint[], 1000)',
        [[t1, t2], upto],
      )
    ).rows.map((r) => `${r.tenant_id === t1 ? 't1' : 't2'}:${r.seq}`);
    // Turn 1 of each tenant first (in tenant id order), then t1's later rows.
    const first = [`t1:${s1[0]}`, `t2:${s2}`];
    expect(rows).toEqual([
      ...([t1, t2].sort()[0] === t1 ? first : first.reverse()),
      `t1:${s1[1]}`,
      `t1:${s1[2]}`,
    ]);
    const two = await relay.client.query('select seq from app_outbox_ready($1::uuid[], $2::bigint[], 2)', [
      [t1, t2],
      upto,
    ]);
    expect(two.rows).toHaveLength(2);
    // Only up to the seq noted for the tenant: t1's third row waits for the next pass.
    const cut = await relay.client.query('select seq from app_outbox_ready($1::uuid[], $2::bigint[], 10)', [
      [t1],
      [s1[1]],
    ]);
    expect(cut.rows.map((r) => Number(r.seq))).toEqual([s1[0], s1[1]]);
  });

  it('takes an xid in a pass with rows to send (its barrier), none in an idle poll', async () => {
    const t = await events.addTenant();
    await a.begin(t);
    await a.event(t);
    await a.client.query('commit');
    /** A barrier in a transaction of its own: the cut, and the xid the transaction took. */
    const pass = async () => {
      await relay.client.query('begin');
      const cut = (
        await relay.client.query<{ barrier: string; tenant_id: string; upto: string }>(
          'select barrier::text, tenant_id, upto from app_outbox_barrier()',
        )
      ).rows;
      const xid = (await relay.client.query('select pg_current_xact_id_if_assigned()::text as x')).rows[0].x;
      await relay.client.query('commit');
      return { cut, xid: xid as string | null };
    };
    const busy = await pass();
    expect(busy.cut.map((c) => c.tenant_id)).toContain(t);
    expect(busy.xid).toBe(busy.cut[0]!.barrier);
    // Nothing else is open here: every pending row may go, and goes.
    const rows = (
      await relay.client.query<{ tenant_id: string; seq: string }>(
        'select tenant_id, seq from app_outbox_ready($1::uuid[], $2::bigint[], 100000)',
        [busy.cut.map((c) => c.tenant_id), busy.cut.map((c) => c.upto)],
      )
    ).rows;
    await relay.client.query('select app_outbox_mark_published($1::uuid[], $2::bigint[])', [
      rows.map((r) => r.tenant_id),
      rows.map((r) => r.seq),
    ]);
    const idle = await pass();
    expect(idle.cut).toEqual([]);
    expect(idle.xid).toBeNull();
  });

  it('lets the API role see and mark its own tenant only; the relay door is the SECURITY DEFINER functions', async () => {
    const [t1, t2] = [await events.addTenant(), await events.addTenant()];
    await a.begin(t1);
    await a.event(t1);
    await a.client.query('commit');
    await a.begin(t2);
    const visible = await a.client.query('select count(*)::int as n from outbox where tenant_id = $1', [t1]);
    expect(visible.rows[0].n).toBe(0);
    await expect(a.client.query('update outbox set published_at = now()')).rejects.toThrow(
      /permission denied/,
    );
    await a.client.query('rollback');
    const backlog = await relay.client.query<{ pending: string }>('select pending from app_outbox_backlog()');
    expect(Number(backlog.rows[0]!.pending)).toBeGreaterThanOrEqual(1);
  });
});
