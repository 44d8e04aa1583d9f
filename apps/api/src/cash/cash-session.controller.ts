import { Controller, Inject } from '@nestjs/common';
import {
  type BodyOf,
  type CashSession,
  type CashSessionSummary,
  cashEndpoints,
  type ParamsOf,
  type QueryOf,
} from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { CashSessionService } from './cash-session.service.js';

@Controller()
export class CashSessionController {
  constructor(@Inject(CashSessionService) private readonly sessions: CashSessionService) {}

  @Route(cashEndpoints.openCashSession)
  open(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof cashEndpoints.openCashSession>,
    @Body() body: BodyOf<typeof cashEndpoints.openCashSession>,
  ): Promise<CashSession> {
    return this.sessions.open(ctx, p.id, body.openingFloat);
  }

  @Route(cashEndpoints.getCurrentCashSession)
  current(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof cashEndpoints.getCurrentCashSession>,
  ): Promise<CashSession> {
    return this.sessions.current(ctx, p.id);
  }

  @Route(cashEndpoints.getCashSession)
  get(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof cashEndpoints.getCashSession>,
  ): Promise<CashSession> {
    return this.sessions.get(ctx, p.id);
  }

  @Route(cashEndpoints.addCashMovement)
  addMovement(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof cashEndpoints.addCashMovement>,
    @Body() body: BodyOf<typeof cashEndpoints.addCashMovement>,
  ): Promise<CashSession> {
    return this.sessions.addMovement(ctx, p.id, body);
  }

  @Route(cashEndpoints.closeCashSession)
  close(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof cashEndpoints.closeCashSession>,
    @Body() body: BodyOf<typeof cashEndpoints.closeCashSession>,
  ): Promise<CashSession> {
    return this.sessions.close(ctx, p.id, body);
  }

  @Route(cashEndpoints.listStoreCashSessions)
  list(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof cashEndpoints.listStoreCashSessions>,
    @Query() q: QueryOf<typeof cashEndpoints.listStoreCashSessions>,
  ): Promise<{ items: CashSessionSummary[]; nextCursor: string | null }> {
    return this.sessions.listForStore(ctx, p.storeId, q);
  }
}
