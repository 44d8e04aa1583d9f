import { sql } from 'kysely';
import type { Tx } from '../db/database.js';

/**
 * Moves the user's session version on: every access token signed before stops working at its next
 * request (app_session_check, migration 0008). Role, active, password and store removals do this in a
 * trigger; this is for what only the API decides (an administrator's change of email or PIN).
 */
export async function bumpSessionVersion(tx: Tx, tenantId: string, userId: string): Promise<void> {
  await tx
    .updateTable('users')
    .set({ session_version: sql<number>`session_version + 1` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .execute();
}
