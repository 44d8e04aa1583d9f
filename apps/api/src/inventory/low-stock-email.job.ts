import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { Database } from '../db/database.js';
import { escapeHtml } from '@zakpos/receipt';
import { JobQueue } from '../jobs/job-queue.js';
import { Mailer } from '../mail/mailer.js';

export const LOW_STOCK_EMAIL_JOB = 'low-stock.email';
/** The processed_events consumer name of a sent low-stock email, by the stock event that raised the alerts. */
const SENT = 'low-stock-email';

const jobData = z.object({ tenantId: z.uuid(), storeId: z.uuid(), eventId: z.uuid() });
export type LowStockEmail = z.infer<typeof jobData>;

/**
 * Emails the alerts one stock event raised to the store's managers and the tenant's owners (active users):
 * one message per event, listing each product with its level and threshold. Sent once per event, as a
 * receipt is (the sent mark is written in the sending transaction).
 */
@Injectable()
export class LowStockEmailJob implements OnModuleInit {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(Mailer) private readonly mailer: Mailer,
  ) {}

  onModuleInit(): void {
    this.jobs.register(LOW_STOCK_EMAIL_JOB, (data) => this.send(jobData.parse(data)));
  }

  /** Queues the email of the alerts an event raised; nothing without an SMTP server (the alerts stay recorded). */
  async queue(email: LowStockEmail): Promise<void> {
    if (!this.mailer.configured) return;
    await this.jobs.enqueue(LOW_STOCK_EMAIL_JOB, email.eventId, email);
  }

  private async send({ tenantId, storeId, eventId }: LowStockEmail): Promise<void> {
    await this.db.tenant({ tenantId }, async (tx) => {
      const alerts = await tx
        .selectFrom('low_stock_alerts as a')
        .innerJoin('products as p', (j) =>
          j.onRef('p.tenant_id', '=', 'a.tenant_id').onRef('p.id', '=', 'a.product_id'),
        )
        .select(['p.name', 'p.sku', 'a.on_hand', 'a.threshold'])
        .where('a.tenant_id', '=', tenantId)
        .where('a.event_id', '=', eventId)
        .orderBy('p.name')
        .execute();
      if (alerts.length === 0) return;
      const store = await tx
        .selectFrom('stores')
        .select('name')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', storeId)
        .executeTakeFirstOrThrow();
      const recipients = await tx
        .selectFrom('users as u')
        .select('u.email')
        .where('u.tenant_id', '=', tenantId)
        .where('u.active', '=', true)
        .where((eb) =>
          eb.or([
            eb('u.role', '=', 'owner'),
            eb.and([
              eb('u.role', '=', 'manager'),
              eb.exists(
                eb
                  .selectFrom('user_stores as s')
                  .select('s.store_id')
                  .where('s.tenant_id', '=', tenantId)
                  .whereRef('s.user_id', '=', 'u.id')
                  .where('s.store_id', '=', storeId),
              ),
            ]),
          ]),
        )
        .orderBy('u.email')
        .execute();
      if (recipients.length === 0) return;
      const first = await tx
        .insertInto('processed_events')
        .values({ tenant_id: tenantId, consumer: SENT, event_id: eventId })
        .onConflict((oc) => oc.doNothing())
        .returning('event_id')
        .executeTakeFirst();
      if (!first) return;
      const units = (milli: number) => (milli / 1000).toLocaleString('en', { maximumFractionDigits: 3 });
      const lines = alerts.map(
        (a) => `${a.name} (${a.sku}): ${units(a.on_hand)} left, threshold ${units(a.threshold)}`,
      );
      await this.mailer.send({
        to: recipients.map((r) => r.email).join(', '),
        subject: `Low stock at ${store.name}: ${alerts.length} product${alerts.length === 1 ? '' : 's'}`,
        text: `${lines.join('\n')}\n`,
        html: `<p>Low stock at ${escapeHtml(store.name)}:</p><ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
        messageId: `<low-stock-${eventId}@zakpos>`,
      });
    });
  }
}
