import type { CashReport } from '@zakpos/contracts';
import { sql } from 'kysely';
import type { Tx } from '../db/database.js';

/**
 * The register's next Z number: the counter row (shared with the register's document numbers) is
 * locked to the commit and rolls back with the closing, so Z numbers are gapless.
 */
export async function takeZNumber(tx: Tx, tenantId: string, registerId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    insert into register_counters (tenant_id, register_id, last_z_number) values (${tenantId}, ${registerId}, 1)
    on conflict (tenant_id, register_id) do update set last_z_number = register_counters.last_z_number + 1
    returning last_z_number as n`.execute(tx);
  return rows[0]!.n;
}

export async function insertZReport(
  tx: Tx,
  row: { tenantId: string; id: string; createdBy: string; report: CashReport },
): Promise<void> {
  await sql`
    insert into z_reports (tenant_id, id, register_id, store_id, cash_session_id, z_number, report, created_by)
    values (${row.tenantId}, ${row.id}, ${row.report.registerId}, ${row.report.storeId}, ${row.report.cashSessionId},
            ${row.report.number}, ${JSON.stringify(row.report)}::jsonb, ${row.createdBy})`.execute(tx);
}

export async function findZReport(
  tx: Tx,
  tenantId: string,
  sessionId: string,
): Promise<CashReport | undefined> {
  const { rows } = await sql<{ report: CashReport }>`
    select report from z_reports where tenant_id = ${tenantId} and cash_session_id = ${sessionId}`.execute(
    tx,
  );
  return rows[0]?.report;
}

/** A register's Z reports, newest (highest number) first, below `beforeNumber`. */
export async function listZReports(
  tx: Tx,
  tenantId: string,
  registerId: string,
  page: { beforeNumber?: number | undefined; limit: number },
): Promise<{ number: number; report: CashReport }[]> {
  const { rows } = await sql<{ number: number; report: CashReport }>`
    select z_number as number, report from z_reports
     where tenant_id = ${tenantId} and register_id = ${registerId}
       and (${page.beforeNumber ?? null}::int8 is null or z_number < ${page.beforeNumber ?? null}::int8)
     order by z_number desc limit ${page.limit}`.execute(tx);
  return rows;
}
