import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EmailReceiptInput, EmailReceiptQueued } from '@zakpos/contracts';
import { z } from 'zod';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Database } from '../db/database.js';
import { JobQueue } from '../jobs/job-queue.js';
import { Mailer } from '../mail/mailer.js';
import { findSale } from '../sales/sale.repository.js';
import { assertStoreInScope } from '../tenancy/store-scope.js';
import { ReceiptService } from './receipt.service.js';

export const RECEIPT_EMAIL_JOB = 'receipt.email';
/** The processed_events consumer name that records a sent receipt email, by job id. */
const SENT = 'receipt-email';

/** The job's data: the requester's context (its session is checked again when the job runs) and the mail. */
const jobData = z.object({
  ctx: z.object({
    requestId: z.string(),
    tenantId: z.uuid(),
    userId: z.uuid(),
    role: z.enum(['owner', 'manager', 'cashier']),
    storeIds: z.array(z.uuid()).nullable(),
    registerId: z.uuid().nullable(),
    sessionKind: z.enum(['full', 'register']),
    sessionVersion: z.number().int(),
  }),
  saleId: z.uuid(),
  to: z.email(),
});
type JobData = z.infer<typeof jobData>;

/** Emailed receipts: queued by the request, rendered and sent by the job, once per request id. */
@Injectable()
export class ReceiptEmailService implements OnModuleInit {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(Mailer) private readonly mailer: Mailer,
    @Inject(ReceiptService) private readonly receipts: ReceiptService,
  ) {}

  onModuleInit(): void {
    this.jobs.register(RECEIPT_EMAIL_JOB, (data, jobId) => this.send(jobData.parse(data), jobId));
  }

  async queue(ctx: RequestContext, saleId: string, input: EmailReceiptInput): Promise<EmailReceiptQueued> {
    if (!this.mailer.configured) {
      throw new DomainError(
        'NOT_READY',
        'receipts cannot be emailed: no SMTP server is configured (SMTP_URL)',
      );
    }
    await this.db.tenant(ctx, async (tx) => {
      const sale = await findSale(tx, ctx.tenantId, saleId);
      if (!sale) throw DomainError.notFound('sale');
      assertStoreInScope(ctx, sale.store_id);
    });
    const data: JobData = {
      ctx: {
        requestId: ctx.requestId,
        tenantId: ctx.tenantId,
        userId: ctx.userId,
        role: ctx.role,
        storeIds: ctx.storeIds ? [...ctx.storeIds] : null,
        registerId: ctx.registerId,
        sessionKind: ctx.sessionKind,
        sessionVersion: ctx.sessionVersion,
      },
      saleId,
      to: input.to,
    };
    // The request's id names the job: a repeat of the request is the same job (and the same mail).
    await this.jobs.enqueue(RECEIPT_EMAIL_JOB, input.id, data);
    return { jobId: input.id, status: 'queued' };
  }

  /**
   * Renders the receipt as recorded and sends it. The sent mark (a processed_events row) is written in the
   * transaction that sends: a failed send leaves no mark and is retried; a job run again after a sent mail
   * finds the mark and sends nothing. Only a crash between the SMTP server's acceptance and the commit sends
   * twice, with the same Message-ID.
   */
  private async send(data: JobData, jobId: string): Promise<void> {
    const ctx: RequestContext = { ...data.ctx, ip: '', userAgent: null };
    const html = await this.receipts.saleReceipt(
      ctx,
      data.saleId,
      { format: 'html', paper: '80mm' },
      { count: false },
    );
    const text = await this.receipts.saleReceipt(
      ctx,
      data.saleId,
      { format: 'text', paper: '80mm' },
      { count: false },
    );
    await this.db.tenant(ctx, async (tx) => {
      const first = await tx
        .insertInto('processed_events')
        .values({ tenant_id: ctx.tenantId, consumer: SENT, event_id: jobId })
        .onConflict((oc) => oc.doNothing())
        .returning('event_id')
        .executeTakeFirst();
      if (!first) return;
      await this.mailer.send({
        to: data.to,
        subject: 'Your receipt',
        html: String(html),
        text: String(text),
        messageId: `<receipt-${jobId}@zakpos>`,
      });
    });
  }
}
