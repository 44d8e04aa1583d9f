import { Controller, Inject, UseGuards } from '@nestjs/common';
import {
  authEndpoints,
  type BodyOf,
  type Me,
  type PinSession,
  type Session,
  type SignupResult,
} from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Client, type ClientInfo, Ctx, Route } from '../common/http/route.decorator.js';
import { AuthService } from './auth.service.js';
import { AuthRateLimitGuard } from './rate-limit.guard.js';
import { SessionService } from './session.service.js';
import { SignupService } from './signup.service.js';

@Controller()
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(SignupService) private readonly signups: SignupService,
  ) {}

  @Route(authEndpoints.signup)
  @UseGuards(AuthRateLimitGuard)
  signup(
    @Client() client: ClientInfo,
    @Body() body: BodyOf<typeof authEndpoints.signup>,
  ): Promise<SignupResult> {
    return this.signups.signup(client, body);
  }

  @Route(authEndpoints.login)
  @UseGuards(AuthRateLimitGuard)
  login(@Client() client: ClientInfo, @Body() body: BodyOf<typeof authEndpoints.login>): Promise<Session> {
    return this.auth.login(client, body);
  }

  @Route(authEndpoints.pinLogin)
  @UseGuards(AuthRateLimitGuard)
  pinLogin(
    @Client() client: ClientInfo,
    @Body() body: BodyOf<typeof authEndpoints.pinLogin>,
  ): Promise<PinSession> {
    return this.auth.pinLogin(client, body);
  }

  @Route(authEndpoints.refresh)
  @UseGuards(AuthRateLimitGuard)
  refresh(
    @Client() client: ClientInfo,
    @Body() body: BodyOf<typeof authEndpoints.refresh>,
  ): Promise<Session> {
    return this.sessions.refresh(client, body.refreshToken);
  }

  @Route(authEndpoints.logout)
  async logout(
    @Ctx() ctx: RequestContext,
    @Body() body: BodyOf<typeof authEndpoints.logout>,
  ): Promise<{ ok: true }> {
    await this.sessions.logout(ctx, body.refreshToken);
    return { ok: true };
  }

  @Route(authEndpoints.changePassword)
  async changePassword(
    @Ctx() ctx: RequestContext,
    @Body() body: BodyOf<typeof authEndpoints.changePassword>,
  ): Promise<{ ok: true }> {
    await this.auth.changePassword(ctx, body);
    return { ok: true };
  }

  @Route(authEndpoints.setPin)
  async setPin(
    @Ctx() ctx: RequestContext,
    @Body() body: BodyOf<typeof authEndpoints.setPin>,
  ): Promise<{ ok: true }> {
    await this.auth.setPin(ctx, body);
    return { ok: true };
  }

  @Route(authEndpoints.me)
  me(@Ctx() ctx: RequestContext): Promise<Me> {
    return this.auth.me(ctx);
  }
}
