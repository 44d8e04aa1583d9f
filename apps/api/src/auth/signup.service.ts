import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SignupInput, SignupResult } from '@zakpos/contracts';
import { recordAudit } from '../common/audit/audit-log.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { ClientInfo } from '../common/http/route.decorator.js';
import { Database } from '../db/database.js';
import { isUniqueViolation } from '../db/pg-error.js';
import { claimEmail } from './auth.repository.js';
import { passwordHasher } from './password-hasher.js';
import { SessionService, withoutId } from './session.service.js';

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
    return this.db.tenant({ tenantId, userId }, async (tx) => {
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
        if (isUniqueViolation(err)) {
          throw new DomainError('EMAIL_TAKEN', 'this email is already registered', {
            'owner.email': ['is already registered'],
          });
        }
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
      return { ...withoutId(session), tenantId, storeId, registerId };
    });
  }
}
