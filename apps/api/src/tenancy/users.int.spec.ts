import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { passwordHasher } from '../auth/password-hasher.js';
import { useApiHarness, type Who } from '../test/api-harness.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { uniqueEmail } from '../test/test-app.js';

const PASSWORD = 'a long enough password';

describe('users', () => {
  const api = useApiHarness();
  const { call, rowCount } = api;
  const create = (t: TestTenant, who: Who, body: Record<string, unknown>) =>
    call(t, who, 'POST', '/users', body);
  const cashierIn = (storeId: string, extra: Record<string, unknown> = {}) => ({
    email: uniqueEmail('new'),
    name: 'New cashier',
    role: 'cashier',
    password: PASSWORD,
    storeIds: [storeId],
    ...extra,
  });
  const userCount = (tenantId: string) => rowCount('users', tenantId);
  const userRow = async (id: string) =>
    (await api.su.query('select * from users where id = $1', [id])).rows[0];
  const auditOf = async (tenantId: string, entityId: string) =>
    (
      await api.su.query(
        'select action, actor_user_id, data from audit_log where tenant_id = $1 and entity_id = $2 order by id',
        [tenantId, entityId],
      )
    ).rows as { action: string; actor_user_id: string; data: Record<string, unknown> }[];
  const addRefreshToken = async (t: TestTenant, userId: string) => {
    const id = randomUUID();
    await api.su.query(
      `insert into refresh_tokens (tenant_id, id, user_id, family_id, token_hash, expires_at)
       values ($1, $2, $3, $2, $4, now() + interval '1 day')`,
      [t.tenantId, id, userId, createHash('sha256').update(id).digest('hex')],
    );
    return id;
  };
  const isRevoked = async (tokenId: string) =>
    (await api.su.query('select revoked_at from refresh_tokens where id = $1', [tokenId])).rows[0]
      .revoked_at !== null;

  describe('reading', () => {
    it('owners list every user by email; responses never carry hashes', async () => {
      const t = await createTenant(api.app);
      const res = await call(t, 'owner', 'GET', '/users');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.items.map((u: { role: string }) => u.role)).toEqual(['cashier', 'manager', 'owner']);
      expect(body.nextCursor).toBeNull();
      expect(body.items.find((u: { role: string }) => u.role === 'owner')).toMatchObject({
        id: t.owner.id,
        email: t.owner.email,
        storeIds: null,
        active: true,
        hasPin: false,
      });
      expect(body.items.find((u: { role: string }) => u.role === 'cashier').storeIds).toEqual([
        t.storeIds[0],
      ]);
      expect(res.body).not.toMatch(/hash|argon2/i);
    });

    it('managers see the users of their stores only; cashiers may not list users', async () => {
      const t = await createTenant(api.app);
      const elsewhere = (await create(t, 'owner', cashierIn(t.storeIds[1]))).json();
      const res = await call(t, 'manager', 'GET', '/users');
      expect(res.statusCode).toBe(200);
      expect(
        res
          .json()
          .items.map((u: { id: string }) => u.id)
          .sort(),
      ).toEqual([t.manager.id, t.cashier.id].sort());
      expect((await call(t, 'manager', 'GET', `/users/${elsewhere.id}`)).statusCode).toBe(403);
      expect((await call(t, 'manager', 'GET', `/users/${t.owner.id}`)).statusCode).toBe(403);
      expect((await call(t, 'manager', 'GET', `/users/${t.cashier.id}`)).statusCode).toBe(200);
      expect((await call(t, 'manager', 'GET', `/users?storeId=${t.storeIds[1]}`)).statusCode).toBe(403);
      expect((await call(t, 'cashier', 'GET', '/users')).statusCode).toBe(403);
      expect((await call(t, 'cashier', 'GET', `/users/${t.cashier.id}`)).statusCode).toBe(403);
    });

    it('pages through users with a cursor and filters by role, store and active', async () => {
      const t = await createTenant(api.app);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await call(t, 'owner', 'GET', `/users?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode).toBe(200);
        expect(res.json().items).toHaveLength(1);
        seen.push(res.json().items[0].id);
        cursor = res.json().nextCursor;
      } while (cursor);
      expect(seen).toEqual([t.cashier.id, t.manager.id, t.owner.id]);

      const roles = await call(t, 'owner', 'GET', '/users?role=manager');
      expect(roles.json().items.map((u: { id: string }) => u.id)).toEqual([t.manager.id]);
      const byStore = await call(t, 'owner', 'GET', `/users?storeId=${t.storeIds[1]}`);
      expect(byStore.json().items).toEqual([]);
      await call(t, 'owner', 'PATCH', `/users/${t.cashier.id}`, { active: false });
      const inactive = await call(t, 'owner', 'GET', '/users?active=false');
      expect(inactive.json().items.map((u: { id: string }) => u.id)).toEqual([t.cashier.id]);
    });

    it.each([
      ['cursor=garbage', 'cursor'],
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['role=admin', 'role'],
      ['storeId=nope', 'storeId'],
      ['sort=email', 'sort'],
    ])('rejects ?%s naming %s', async (qs, field) => {
      const t = await createTenant(api.app);
      const res = await call(t, 'owner', 'GET', `/users?${qs}`);
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json().error.fields)).toContain(field);
    });

    it("another tenant's user is not found", async () => {
      const t = await createTenant(api.app);
      const other = await createTenant(api.app);
      expect((await call(t, 'owner', 'GET', `/users/${other.owner.id}`)).statusCode).toBe(404);
      expect((await call(t, 'owner', 'GET', `/users/${randomUUID()}`)).statusCode).toBe(404);
    });
  });

  describe('creating', () => {
    it('the owner creates a manager with a PIN: email lower-cased, secrets hashed, login index claimed, audited', async () => {
      const t = await createTenant(api.app);
      const email = uniqueEmail('Mixed').toUpperCase();
      const res = await create(t, 'owner', {
        email,
        name: 'Maria',
        role: 'manager',
        password: PASSWORD,
        storeIds: [t.storeIds[0], t.storeIds[1], t.storeIds[0]],
        pin: '0420',
      });
      expect(res.statusCode).toBe(201);
      const user = res.json();
      expect(user).toMatchObject({
        email: email.toLowerCase(),
        name: 'Maria',
        role: 'manager',
        active: true,
        hasPin: true,
      });
      expect([...user.storeIds].sort()).toEqual([...t.storeIds].sort());
      expect(res.body).not.toMatch(/hash|argon2|0420|long enough/i);

      const row = await userRow(user.id);
      expect(await passwordHasher.verify(row.password_hash, PASSWORD)).toBe(true);
      expect(await passwordHasher.verify(row.pin_hash, '0420')).toBe(true);
      const login = await api.su.query('select tenant_id, user_id from login_identities where email = $1', [
        email,
      ]);
      expect(login.rows).toEqual([{ tenant_id: t.tenantId, user_id: user.id }]);

      const audit = await auditOf(t.tenantId, user.id);
      expect(audit.map((a) => a.action)).toEqual(['user.created']);
      expect(audit[0]!.actor_user_id).toBe(t.owner.id);
      expect(audit[0]!.data).toMatchObject({ role: 'manager', hasPin: true });
      expect(JSON.stringify(audit[0]!.data)).not.toMatch(/hash|argon2|0420|long enough|"password"|"pin"/i);
    });

    it('the owner may create another owner, who has every store', async () => {
      const t = await createTenant(api.app);
      const res = await create(t, 'owner', {
        email: uniqueEmail(),
        name: 'Co-owner',
        role: 'owner',
        password: PASSWORD,
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ role: 'owner', storeIds: null });
    });

    it('a manager creates cashiers of their own stores only', async () => {
      const t = await createTenant(api.app);
      expect((await create(t, 'manager', cashierIn(t.storeIds[0]))).statusCode).toBe(201);
      const before = await userCount(t.tenantId);
      const refused = [
        cashierIn(t.storeIds[1]),
        cashierIn(t.storeIds[0], { storeIds: [t.storeIds[0], t.storeIds[1]] }),
        cashierIn(t.storeIds[0], { role: 'manager' }),
        { email: uniqueEmail(), name: 'Boss', role: 'owner', password: PASSWORD },
      ];
      for (const body of refused) {
        const res = await create(t, 'manager', body);
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
      expect(await userCount(t.tenantId)).toBe(before);
    });

    it('cashiers may not create users', async () => {
      const t = await createTenant(api.app);
      expect((await create(t, 'cashier', cashierIn(t.storeIds[0]))).statusCode).toBe(403);
      expect(await userCount(t.tenantId)).toBe(3);
    });

    it.each([
      [{ pin: 'abcd' }, 'pin'],
      [{ pin: '123' }, 'pin'],
      [{ pin: '1234567' }, 'pin'],
      [{ pin: 1234 }, 'pin'],
      [{ password: 'short' }, 'password'],
      [{ email: 'not-an-email' }, 'email'],
      [{ email: `${'a'.repeat(250)}@x.io` }, 'email'],
      [{ name: 'x'.repeat(121) }, 'name'],
      [{ role: 'admin' }, 'role'],
      [{ storeIds: 'all' }, 'storeIds'],
      [{ storeIds: [] }, 'storeIds'],
      [{ storeIds: ['nope'] }, 'storeIds.0'],
      [{ storeIds: undefined }, 'storeIds'],
      [{ role: 'owner' }, 'storeIds'],
      [{ isAdmin: true }, 'isAdmin'],
    ])('rejects %j naming %s and writes nothing', async (extra, field) => {
      const t = await createTenant(api.app);
      const res = await create(t, 'owner', cashierIn(t.storeIds[0], extra));
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json().error.fields)).toContain(field);
      expect(await userCount(t.tenantId)).toBe(3);
    });

    it("another tenant's store is not found and nothing is written", async () => {
      const t = await createTenant(api.app);
      const other = await createTenant(api.app);
      const res = await create(t, 'owner', cashierIn(other.storeIds[0]));
      expect(res.statusCode).toBe(404);
      expect(res.json().error.fields).toHaveProperty('storeIds');
      expect(await userCount(t.tenantId)).toBe(3);
    });

    it('an email used in another tenant (any case) is a 409 EMAIL_TAKEN and nothing is written', async () => {
      const a = await createTenant(api.app);
      const b = await createTenant(api.app);
      const logins = async () =>
        (await api.su.query('select count(*)::int as n from login_identities')).rows[0].n as number;
      const loginsBefore = await logins();
      const auditBefore = (await auditOf(b.tenantId, b.tenantId)).length;
      for (const email of [a.cashier.email, a.owner.email.toUpperCase()]) {
        const res = await create(b, 'owner', cashierIn(b.storeIds[0], { email }));
        expect(res.statusCode).toBe(409);
        expect(res.json().error).toMatchObject({ code: 'EMAIL_TAKEN', fields: { email: expect.any(Array) } });
      }
      expect(await userCount(b.tenantId)).toBe(3);
      expect(await logins()).toBe(loginsBefore);
      const audit = await api.su.query(`select count(*)::int as n from audit_log where tenant_id = $1`, [
        b.tenantId,
      ]);
      expect(audit.rows[0].n).toBe(auditBefore);
      const stolen = await api.su.query('select tenant_id from login_identities where email = $1', [
        a.cashier.email,
      ]);
      expect(stolen.rows).toEqual([{ tenant_id: a.tenantId }]);
    });

    it('an email used in the same tenant is a 409 EMAIL_TAKEN', async () => {
      const t = await createTenant(api.app);
      const res = await create(t, 'owner', cashierIn(t.storeIds[0], { email: t.manager.email }));
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('EMAIL_TAKEN');
    });

    it('two racing creations with one email: exactly one wins, the other is EMAIL_TAKEN', async () => {
      const a = await createTenant(api.app);
      const b = await createTenant(api.app);
      const email = uniqueEmail('race');
      const results = await Promise.all([
        create(a, 'owner', cashierIn(a.storeIds[0], { email })),
        create(b, 'owner', cashierIn(b.storeIds[0], { email })),
        create(a, 'owner', cashierIn(a.storeIds[0], { email })),
      ]);
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes).toEqual([201, 409, 409]);
      for (const r of results.filter((r) => r.statusCode === 409))
        expect(r.json().error.code).toBe('EMAIL_TAKEN');
      const rows = await api.su.query('select count(*)::int as n from users where email = $1', [email]);
      expect(rows.rows[0].n).toBe(1);
    });

    it('an email claimed after our check (a race) is still EMAIL_TAKEN, with nothing written', async () => {
      const t = await createTenant(api.app);
      const email = uniqueEmail('late');
      const rival = new pg.Client({ connectionString: inject('db').superuserUrl });
      await rival.connect();
      try {
        await rival.query('begin');
        await rival.query('insert into login_identities (email, tenant_id, user_id) values ($1, $2, $3)', [
          email,
          randomUUID(),
          randomUUID(),
        ]);
        const pending = create(t, 'owner', cashierIn(t.storeIds[0], { email }));
        // The API passed its check (the rival row is uncommitted) and now waits on the unique index.
        for (;;) {
          const waiting = await api.su.query(
            `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%auth_claim_email%'`,
          );
          if (waiting.rows[0].n > 0) break;
          await new Promise((r) => setTimeout(r, 5));
        }
        await rival.query('commit');
        const res = await pending;
        expect(res.statusCode).toBe(409);
        expect(res.json().error).toMatchObject({ code: 'EMAIL_TAKEN', fields: { email: expect.any(Array) } });
        expect(await userCount(t.tenantId)).toBe(3);
      } finally {
        await rival.end();
      }
    });
  });

  describe('changing', () => {
    it('the owner edits name, email and stores; the old email is freed; audited without secrets', async () => {
      const t = await createTenant(api.app);
      const newEmail = uniqueEmail('moved');
      const res = await call(t, 'owner', 'PATCH', `/users/${t.cashier.id}`, {
        name: 'Renamed',
        email: newEmail,
        storeIds: [t.storeIds[1]],
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: 'Renamed', email: newEmail, storeIds: [t.storeIds[1]] });
      const login = await api.su.query('select email from login_identities where user_id = $1', [
        t.cashier.id,
      ]);
      expect(login.rows).toEqual([{ email: newEmail }]);
      expect(
        (await create(t, 'owner', cashierIn(t.storeIds[0], { email: t.cashier.email }))).statusCode,
      ).toBe(201);
      const audit = await auditOf(t.tenantId, t.cashier.id);
      expect(audit.map((a) => a.action)).toEqual(['user.updated']);
      expect(audit[0]!.data).toMatchObject({
        changes: { name: { to: 'Renamed' }, email: { to: newEmail }, storeIds: { to: [t.storeIds[1]] } },
      });
    });

    it('taking another account’s email is EMAIL_TAKEN and changes nothing', async () => {
      const a = await createTenant(api.app);
      const b = await createTenant(api.app);
      const res = await call(b, 'owner', 'PATCH', `/users/${b.cashier.id}`, {
        name: 'X',
        email: a.owner.email,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('EMAIL_TAKEN');
      expect((await userRow(b.cashier.id)).email).toBe(b.cashier.email);
      expect((await userRow(b.cashier.id)).name).toBe('cashier');
      const same = await call(b, 'owner', 'PATCH', `/users/${b.cashier.id}`, {
        email: b.cashier.email.toUpperCase(),
      });
      expect(same.statusCode).toBe(200);
    });

    it('a role change, store change, deactivation and password reset each end the refresh sessions; audited', async () => {
      const t = await createTenant(api.app);
      const steps: [Record<string, unknown>, string][] = [
        [{ role: 'manager' }, 'user.role_changed'],
        [{ storeIds: [t.storeIds[1]] }, 'user.updated'],
        [{ password: 'a brand new password' }, 'user.password_reset'],
        [{ active: false }, 'user.deactivated'],
      ];
      for (const [body, action] of steps) {
        const token = await addRefreshToken(t, t.cashier.id);
        const res = await call(t, 'owner', 'PATCH', `/users/${t.cashier.id}`, body);
        expect(res.statusCode).toBe(200);
        expect(await isRevoked(token)).toBe(true);
        expect((await auditOf(t.tenantId, t.cashier.id)).at(-1)!.action).toBe(action);
      }
      const row = await userRow(t.cashier.id);
      expect(row).toMatchObject({ role: 'manager', active: false });
      expect(await passwordHasher.verify(row.password_hash, 'a brand new password')).toBe(true);
      const roleEntry = (await auditOf(t.tenantId, t.cashier.id)).find(
        (a) => a.action === 'user.role_changed',
      );
      expect(roleEntry!.data).toEqual({ from: 'cashier', to: 'manager' });
      const reset = (await auditOf(t.tenantId, t.cashier.id)).find((a) => a.action === 'user.password_reset');
      expect(reset!.data).toEqual({});

      const untouched = await addRefreshToken(t, t.manager.id);
      await call(t, 'owner', 'PATCH', `/users/${t.manager.id}`, { name: 'Only a name' });
      expect(await isRevoked(untouched)).toBe(false);
    });

    it('sets and removes a PIN, audited without the PIN', async () => {
      const t = await createTenant(api.app);
      const set = await call(t, 'manager', 'PATCH', `/users/${t.cashier.id}`, { pin: '987654' });
      expect(set.statusCode).toBe(200);
      expect(set.json().hasPin).toBe(true);
      expect(await passwordHasher.verify((await userRow(t.cashier.id)).pin_hash, '987654')).toBe(true);
      const removed = await call(t, 'manager', 'PATCH', `/users/${t.cashier.id}`, { pin: null });
      expect(removed.json().hasPin).toBe(false);
      expect((await userRow(t.cashier.id)).pin_hash).toBeNull();
      const audit = await auditOf(t.tenantId, t.cashier.id);
      expect(audit.map((a) => a.action)).toEqual(['user.pin_set', 'user.pin_removed']);
      expect(JSON.stringify(audit)).not.toContain('987654');
    });

    it('a manager may deactivate a cashier of their store', async () => {
      const t = await createTenant(api.app);
      const res = await call(t, 'manager', 'PATCH', `/users/${t.cashier.id}`, { active: false });
      expect(res.statusCode).toBe(200);
      expect(res.json().active).toBe(false);
      const back = await call(t, 'manager', 'PATCH', `/users/${t.cashier.id}`, { active: true });
      expect(back.json().active).toBe(true);
      expect((await auditOf(t.tenantId, t.cashier.id)).map((a) => a.action)).toEqual([
        'user.deactivated',
        'user.reactivated',
      ]);
    });

    it('a manager may not touch owners, managers (themselves included), or cashiers beyond their stores', async () => {
      const t = await createTenant(api.app);
      const elsewhere = (await create(t, 'owner', cashierIn(t.storeIds[1]))).json();
      const refused: [string, Record<string, unknown>][] = [
        [t.owner.id, { active: false }],
        [t.manager.id, { name: 'Me' }],
        [t.cashier.id, { role: 'manager' }],
        [t.cashier.id, { storeIds: [t.storeIds[1]] }],
        [t.cashier.id, { storeIds: [t.storeIds[0], t.storeIds[1]] }],
        [elsewhere.id, { pin: '1234' }],
      ];
      for (const [id, body] of refused) {
        const res = await call(t, 'manager', 'PATCH', `/users/${id}`, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(403);
      }
      expect(await userRow(t.cashier.id)).toMatchObject({ role: 'cashier', active: true });
      expect(await userRow(t.owner.id)).toMatchObject({ active: true });
      expect((await userRow(elsewhere.id)).pin_hash).toBeNull();
      expect((await call(t, 'cashier', 'PATCH', `/users/${t.cashier.id}`, { name: 'Me' })).statusCode).toBe(
        403,
      );
    });

    it('the last active owner can neither deactivate nor demote themselves', async () => {
      const t = await createTenant(api.app);
      for (const body of [{ active: false }, { role: 'manager', storeIds: [t.storeIds[0]] }]) {
        const res = await call(t, 'owner', 'PATCH', `/users/${t.owner.id}`, body);
        expect(res.statusCode).toBe(409);
        expect(res.json().error.code).toBe('LAST_OWNER');
      }
      expect(await userRow(t.owner.id)).toMatchObject({ role: 'owner', active: true });
      expect(await auditOf(t.tenantId, t.owner.id)).toEqual([]);
    });

    it('with a second owner one may step down; the remaining one then may not', async () => {
      const t = await createTenant(api.app);
      const second = (
        await create(t, 'owner', { email: uniqueEmail(), name: 'Second', role: 'owner', password: PASSWORD })
      ).json();
      const down = await call(t, 'owner', 'PATCH', `/users/${t.owner.id}`, {
        role: 'manager',
        storeIds: [t.storeIds[0]],
      });
      expect(down.statusCode).toBe(200);
      expect(down.json()).toMatchObject({ role: 'manager', storeIds: [t.storeIds[0]] });
      // The demoted owner's token no longer carries owner power (finding 6: it ends at once).
      expect((await call(t, 'owner', 'PATCH', `/users/${second.id}`, { active: false })).statusCode).toBe(
        401,
      );
      const login = await api.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: second.email, password: PASSWORD },
      });
      const headers = { authorization: `Bearer ${(login.json() as { accessToken: string }).accessToken}` };
      const last = await api.app.inject({
        method: 'PATCH',
        url: `/users/${second.id}`,
        headers,
        payload: { active: false },
      });
      expect(last.json().error.code).toBe('LAST_OWNER');
    });

    it('two owners demoting each other at once leave one owner', async () => {
      const t = await createTenant(api.app);
      const second = (
        await create(t, 'owner', { email: uniqueEmail(), name: 'Second', role: 'owner', password: PASSWORD })
      ).json();
      const results = await Promise.all(
        [t.owner.id, second.id].map((id) => call(t, 'owner', 'PATCH', `/users/${id}`, { active: false })),
      );
      // The loser is LAST_OWNER, or 401 when the winner was its own caller (a deactivated caller's
      // token ends at once): either way one owner is left.
      const [won, lost] = results.map((r) => r.statusCode).sort();
      expect(won).toBe(200);
      expect([401, 409]).toContain(lost);
      const owners = await api.su.query(
        `select count(*)::int as n from users where tenant_id = $1 and role = 'owner' and active`,
        [t.tenantId],
      );
      expect(owners.rows[0].n).toBe(1);
    });

    it('an owner becoming a manager needs stores; a user becoming owner loses their store list', async () => {
      const t = await createTenant(api.app);
      await create(t, 'owner', { email: uniqueEmail(), name: 'Second', role: 'owner', password: PASSWORD });
      const noStores = await call(t, 'owner', 'PATCH', `/users/${t.owner.id}`, { role: 'manager' });
      expect(noStores.statusCode).toBe(400);
      expect(noStores.json().error.fields).toHaveProperty('storeIds');
      const ownerStores = await call(t, 'owner', 'PATCH', `/users/${t.manager.id}`, {
        role: 'owner',
        storeIds: [t.storeIds[0]],
      });
      expect(ownerStores.statusCode).toBe(400);
      const promoted = await call(t, 'owner', 'PATCH', `/users/${t.manager.id}`, { role: 'owner' });
      expect(promoted.json()).toMatchObject({ role: 'owner', storeIds: null });
      const links = await api.su.query('select count(*)::int as n from user_stores where user_id = $1', [
        t.manager.id,
      ]);
      expect(links.rows[0].n).toBe(0);
    });

    it.each([
      [{}, 'body'],
      [{ pin: '123' }, 'pin'],
      [{ pin: 'abcd' }, 'pin'],
      [{ password: 'short' }, 'password'],
      [{ name: 'x'.repeat(121) }, 'name'],
      [{ active: 'false' }, 'active'],
      [{ passwordHash: 'x' }, 'passwordHash'],
    ])('rejects %j naming %s', async (body, field) => {
      const t = await createTenant(api.app);
      const res = await call(t, 'owner', 'PATCH', `/users/${t.cashier.id}`, body);
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json().error.fields)).toContain(field);
    });

    it("another tenant's user is not found and is left alone", async () => {
      const t = await createTenant(api.app);
      const other = await createTenant(api.app);
      const res = await call(t, 'owner', 'PATCH', `/users/${other.cashier.id}`, { active: false });
      expect(res.statusCode).toBe(404);
      expect((await userRow(other.cashier.id)).active).toBe(true);
      const stores = await call(t, 'owner', 'PATCH', `/users/${t.cashier.id}`, {
        storeIds: [other.storeIds[0]],
      });
      expect(stores.statusCode).toBe(404);
      const links = await api.su.query('select store_id from user_stores where user_id = $1', [t.cashier.id]);
      expect(links.rows).toEqual([{ store_id: t.storeIds[0] }]);
    });
  });

  describe('your own password, email or PIN (a stolen access token must not take the account over)', () => {
    const patchSelf = (t: TestTenant, who: 'owner' | 'manager', body: Record<string, unknown>) =>
      call(t, who, 'PATCH', `/users/${t[who].id}`, body);

    it.each([
      ['password', { password: 'taken over for good' }],
      ['email', { email: 'attacker@evil.example' }],
      ['PIN', { pin: '1234' }],
    ])(
      'changing your own %s without currentPassword is a 400 naming it, and changes nothing',
      async (_, change) => {
        const t = await createTenant(api.app);
        const before = await userRow(t.owner.id);
        const res = await patchSelf(t, 'owner', change);
        expect(res.statusCode).toBe(400);
        expect(res.json().error.fields).toEqual({
          currentPassword: ['required to change your own password, email or PIN'],
        });
        expect(await userRow(t.owner.id)).toEqual(before);
      },
    );

    it('a wrong currentPassword is a 401 naming it, counted as a failed attempt, and changes nothing', async () => {
      const t = await createTenant(api.app);
      const before = await userRow(t.owner.id);
      const res = await patchSelf(t, 'owner', {
        email: uniqueEmail('x'),
        currentPassword: 'not my password',
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        error: {
          code: 'INVALID_CREDENTIALS',
          message: 'invalid credentials',
          fields: { currentPassword: ['is incorrect'] },
        },
      });
      expect(await userRow(t.owner.id)).toEqual(before);
      const counted = await api.su.query(
        "select failures from auth_throttles where kind = 'password' and account = $1 and source = ''",
        [t.owner.email],
      );
      expect(counted.rows).toEqual([{ failures: 1 }]);
    });

    it('with the right currentPassword your own email, PIN and password change', async () => {
      const t = await createTenant(api.app);
      const email = uniqueEmail('mine');
      const res = await patchSelf(t, 'owner', { email, pin: '9513', currentPassword: t.owner.password });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ email, hasPin: true });
      const pw = await patchSelf(t, 'owner', {
        password: 'my own new passphrase',
        currentPassword: t.owner.password,
      });
      expect(pw.statusCode).toBe(200);
      const login = await api.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email, password: 'my own new passphrase' },
      });
      expect(login.statusCode).toBe(200);
    });

    it("another user's password, email or PIN is an administrator's change: no currentPassword, which is refused", async () => {
      const t = await createTenant(api.app);
      expect((await call(t, 'owner', 'PATCH', `/users/${t.manager.id}`, { pin: '2468' })).statusCode).toBe(
        200,
      );
      const res = await call(t, 'owner', 'PATCH', `/users/${t.manager.id}`, {
        pin: '1357',
        currentPassword: t.owner.password,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields).toEqual({ currentPassword: ['only for changing your own account'] });
    });
  });

  describe('email probing (EMAIL_TAKEN tells that an address has an account)', () => {
    it('is throttled per tenant: after 10 taken answers the tenant gets 429, from any source, taken or not', async () => {
      const t = await createTenant(api.app);
      const other = await createTenant(api.app);
      const probe = (email: string, ip: string) =>
        api.app.inject({
          method: 'PATCH',
          url: `/users/${t.cashier.id}`,
          headers: t.owner.headers,
          payload: { email },
          remoteAddress: ip,
        });
      for (let i = 0; i < 11; i++) {
        const res = await probe(other.owner.email, `10.88.0.${i + 1}`);
        expect(res.statusCode, `probe ${i + 1}`).toBe(409);
      }
      for (const email of [other.manager.email, uniqueEmail('free')]) {
        const limited = await probe(email, '10.88.1.1');
        expect(limited.statusCode).toBe(429);
        expect(limited.json().error.code).toBe('TOO_MANY_ATTEMPTS');
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      }
      const created = await api.app.inject({
        method: 'POST',
        url: '/users',
        headers: t.owner.headers,
        payload: cashierIn(t.storeIds[0], { email: other.cashier.email }),
        remoteAddress: '10.88.1.2',
      });
      expect(created.statusCode).toBe(429);
      expect((await userRow(t.cashier.id)).email).toBe(t.cashier.email);
    });
  });
});
