import { Controller, Inject } from '@nestjs/common';
import { accountingEndpoints as e, type ParamsOf, type QueryOf } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { AccountingService } from './accounting.service.js';

@Controller()
export class AccountingController {
  constructor(@Inject(AccountingService) private readonly accounting: AccountingService) {}

  @Route(e.listAccounts)
  listAccounts(@Ctx() ctx: RequestContext) {
    return this.accounting.listAccounts(ctx);
  }

  @Route(e.listJournal)
  listJournal(@Ctx() ctx: RequestContext, @Query() q: QueryOf<typeof e.listJournal>) {
    return this.accounting.listJournal(ctx, q);
  }

  @Route(e.accountLedger)
  ledger(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof e.accountLedger>,
    @Query() q: QueryOf<typeof e.accountLedger>,
  ) {
    return this.accounting.ledger(ctx, p.id, q);
  }

  @Route(e.trialBalance)
  trialBalance(@Ctx() ctx: RequestContext, @Query() q: QueryOf<typeof e.trialBalance>) {
    return this.accounting.trialBalance(ctx, q);
  }

  @Route(e.profitAndLoss)
  profitAndLoss(@Ctx() ctx: RequestContext, @Query() q: QueryOf<typeof e.profitAndLoss>) {
    return this.accounting.profitAndLoss(ctx, q);
  }

  @Route(e.inventoryCheck)
  inventoryCheck(@Ctx() ctx: RequestContext) {
    return this.accounting.inventoryCheck(ctx);
  }
}
