import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SignupInput, SignupResult } from '@zakpos/contracts';
import { createChartOfAccounts } from '../accounting/chart-of-accounts.js';
import { recordAudit } from '../common/audit/audit-log.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { ClientInfo } from '../common/http/route.decorator.js';
import { Database } from '../db/database.js';
import { isUniqueViolation } from '../db/pg-error.js';
import { claimEmail, lookupEmail } from './auth.repository.js';
import { checkRefusal } from './credential-check.js';
import { passwordHasher } from './password-hasher.js';
import { SessionService, withoutId } from './session.service.js';
import { emailCheckTarget, throttleFail, throttleWait } from './throttle.repository.js';

/** A new merchant: tenant, owner, first store and first register, in one transaction. */
@Injectable()
export class SignupService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(SessionService) private readonly sessions: SessionService,
  ) {}

  async signup(client: ClientInfo, input: SignupInput): Promise<SignupResult> {
    const passwordHash = await passwordHasher.hash(input.owner.password);
    const tenantId = randomUUID();
    const userId = randomUUID();
    const storeId = randomUUID();
    const registerId = randomUUID();

    // The tenants policy lets a transaction insert the tenant whose id it has set as current.
    const outcome = await this.db.tenant({ tenantId, userId }, async (tx): Promise<SignupOutcome> => {
      // EMAIL_TAKEN says an address has an account: those answers are counted per source and, past the
      // budget, refused before the lookup. Nothing is written before this, so the count commits alone.
      const probe = emailCheckTarget(null, client.ip);
      const wait = await throttleWait(tx, probe);
      if (wait > 0) return { kind: 'throttled', retryAfterSeconds: wait };
      if (await lookupEmail(tx, input.owner.email)) {
        await throttleFail(tx, probe);
        return { kind: 'email_taken' };
      }
      await tx
        .insertInto('tenants')
        .values({
          id: tenantId,
          name: input.tenant.name,
          currency: input.tenant.currency,
          prices_include_tax: input.tenant.pricesIncludeTax,
          ...(input.tenant.locale ? { locale: input.tenant.locale } : {}),
        })
        .execute();
      await createChartOfAccounts(tx, { tenantId, userId });
      await tx
        .insertInto('stores')
        .values({
          tenant_id: tenantId,
          id: storeId,
          code: input.store.code,
          name: input.store.name,
          time_zone: input.store.timeZone,
        })
        .execute();
      await tx
        .insertInto('registers')
        .values({ tenant_id: tenantId, id: registerId, store_id: storeId, name: input.register.name })
        .execute();
      await tx
        .insertInto('users')
        .values({
          tenant_id: tenantId,
          id: userId,
          email: input.owner.email,
          name: input.owner.name,
          role: 'owner',
          password_hash: passwordHash,
        })
        .execute();
      try {
        await claimEmail(tx, input.owner.email, userId);
      } catch (err) {
        // Rolls the whole signup back: nothing of the tenant is left behind.
        // A concurrent signup with the same email claimed it after our lookup.
        if (isUniqueViolation(err)) throw emailTaken();
        throw err;
      }

      const owner = {
        id: userId,
        tenantId,
        role: 'owner' as const,
        name: input.owner.name,
        email: input.owner.email,
        storeIds: null,
      };
      const session = await this.sessions.start(
        tx,
        { user: owner, sessionVersion: 1, registerId: null },
        client,
      );
      await recordAudit(
        tx,
        { tenantId, userId, ip: client.ip, userAgent: client.userAgent },
        {
          action: 'auth.signup',
          entityType: 'tenant',
          entityId: tenantId,
          data: { storeId, registerId, currency: input.tenant.currency },
        },
      );
      return { kind: 'done', value: { ...withoutId(session), tenantId, storeId, registerId } };
    });
    if (outcome.kind === 'done') return outcome.value;
    if (outcome.kind === 'email_taken') throw emailTaken();
    throw checkRefusal(outcome);
  }
}

type SignupOutcome =
  | { kind: 'done'; value: SignupResult }
  | { kind: 'email_taken' }
  | { kind: 'throttled'; retryAfterSeconds: number };

const emailTaken = () =>
  new DomainError('EMAIL_TAKEN', 'this email is already registered', {
    'owner.email': ['is already registered'],
  });
