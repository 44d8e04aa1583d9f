import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { passwordHasher } from '../auth/password-hasher.js';
import { Database } from '../db/database.js';
import { checkedInject } from '../test/contract-check.js';

/** Test support: refunds and voids through the API, as a register sends them. */

export const postRefund = (
  app: NestFastifyApplication,
  headers: Record<string, string>,
  saleId: string,
  body: object,
) => checkedInject(app, { method: 'POST', url: `/sales/${saleId}/refunds`, headers, payload: body });

export const postReceiptlessRefund = (
  app: NestFastifyApplication,
  headers: Record<string, string>,
  body: object,
) => checkedInject(app, { method: 'POST', url: '/refunds', headers, payload: body });

export const postVoid = (
  app: NestFastifyApplication,
  headers: Record<string, string>,
  saleId: string,
  body: object,
) => checkedInject(app, { method: 'POST', url: `/sales/${saleId}/void`, headers, payload: body });

/** The share of `total` belonging to units before+1..after of `sold`, rounded half up on cumulative units. */
export const shareOf = (total: number, before: number, after: number, sold: number) =>
  Math.round((total * after) / sold) - Math.round((total * before) / sold);

/** Gives the user a PIN (for a manager's approval at the register). */
export async function setPin(app: NestFastifyApplication, tenantId: string, userId: string, pin: string) {
  await app.get(Database).tenant({ tenantId }, async (tx) => {
    await tx
      .updateTable('users')
      .set({ pin_hash: await passwordHasher.hash(pin) })
      .where('id', '=', userId)
      .execute();
  });
}
