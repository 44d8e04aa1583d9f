import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Role } from '@zakpos/contracts';
import { createChartOfAccounts } from '../accounting/chart-of-accounts.js';
import { passwordHasher } from '../auth/password-hasher.js';
import { TokenService } from '../auth/token.service.js';
import { Database } from '../db/database.js';
import { uniqueEmail } from './test-app.js';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
  token: string;
  /** { authorization: 'Bearer …' } for app.inject */
  headers: Record<string, string>;
}

export interface TestTenant {
  tenantId: string;
  storeIds: [string, string];
  registerIds: [string, string];
  owner: TestUser;
  /** Scoped to storeIds[0] only. */
  manager: TestUser;
  /** Scoped to storeIds[0] only. */
  cashier: TestUser;
}

const PASSWORD = 'correct horse battery staple';
let cachedHash: Promise<string> | undefined;

/**
 * A tenant with two stores, a register in each and one user per role, written straight through
 * the app's own tenant-scoped database layer, with access tokens minted by the app's TokenService.
 * Lets every module's tests run without going through signup.
 */
export async function createTenant(
  app: NestFastifyApplication,
  settings: { currency?: string; pricesIncludeTax?: boolean } = {},
): Promise<TestTenant> {
  const db = app.get(Database);
  const tokens = app.get(TokenService);
  const tenantId = randomUUID();
  const storeIds: [string, string] = [randomUUID(), randomUUID()];
  const registerIds: [string, string] = [randomUUID(), randomUUID()];
  const passwordHash = await (cachedHash ??= passwordHasher.hash(PASSWORD));
  const users = (['owner', 'manager', 'cashier'] as const).map((role) => ({
    id: randomUUID(),
    role,
    email: uniqueEmail(role),
  }));

  await db.tenant({ tenantId }, async (tx) => {
    await tx
      .insertInto('tenants')
      .values({
        id: tenantId,
        name: `Test tenant ${tenantId.slice(0, 8)}`,
        currency: settings.currency ?? 'EUR',
        prices_include_tax: settings.pricesIncludeTax ?? true,
      })
      .execute();
    await createChartOfAccounts(tx, { tenantId });
    await tx
      .insertInto('stores')
      .values(
        storeIds.map((id, i) => ({ tenant_id: tenantId, id, code: `S${i + 1}`, name: `Store ${i + 1}` })),
      )
      .execute();
    await tx
      .insertInto('registers')
      .values(
        registerIds.map((id, i) => ({ tenant_id: tenantId, id, store_id: storeIds[i]!, name: 'Till 1' })),
      )
      .execute();
    for (const u of users) {
      await tx
        .insertInto('users')
        .values({
          tenant_id: tenantId,
          id: u.id,
          email: u.email,
          name: u.role,
          role: u.role,
          password_hash: passwordHash,
        })
        .execute();
      await tx
        .selectNoFrom((eb) => eb.fn('auth_claim_email', [eb.val(u.email), eb.val(u.id)]).as('ok'))
        .execute();
      if (u.role !== 'owner') {
        await tx
          .insertInto('user_stores')
          .values({ tenant_id: tenantId, user_id: u.id, store_id: storeIds[0] })
          .execute();
      }
    }
  });

  const withToken = async (u: (typeof users)[number]): Promise<TestUser> => {
    const token = await tokens.sign({
      userId: u.id,
      tenantId,
      role: u.role,
      storeIds: u.role === 'owner' ? null : [storeIds[0]],
      registerId: null,
      sessionKind: 'full',
      sessionVersion: 1,
    });
    return { ...u, password: PASSWORD, token, headers: { authorization: `Bearer ${token}` } };
  };
  const [owner, manager, cashier] = await Promise.all(users.map(withToken));
  return { tenantId, storeIds, registerIds, owner: owner!, manager: manager!, cashier: cashier! };
}
