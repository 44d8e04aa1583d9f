import { Controller, Inject, UseGuards } from '@nestjs/common';
import {
  authEndpoints,
  type ChangePasswordInput,
  type LoginInput,
  type LogoutInput,
  type Me,
  type PinLoginInput,
  type PinSession,
  type RefreshInput,
  type Session,
  type SetPinInput,
  type SignupInput,
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
  signup(@Client() client: ClientInfo, @Body() body: SignupInput): Promise<SignupResult> {
    return this.signups.signup(client, body);
  }

  @Route(authEndpoints.login)
  @UseGuards(AuthRateLimitGuard)
  login(@Client() client: ClientInfo, @Body() body: LoginInput): Promise<Session> {
    return this.auth.login(client, body);
  }

  @Route(authEndpoints.pinLogin)
  @UseGuards(AuthRateLimitGuard)
  pinLogin(@Client() client: ClientInfo, @Body() body: PinLoginInput): Promise<PinSession> {
    return this.auth.pinLogin(client, body);
  }

  @Route(authEndpoints.refresh)
  @UseGuards(AuthRateLimitGuard)
  refresh(@Client() client: ClientInfo, @Body() body: RefreshInput): Promise<Session> {
    return this.sessions.refresh(client, body.refreshToken);
  }

  @Route(authEndpoints.logout)
  async logout(@Ctx() ctx: RequestContext, @Body() body: LogoutInput): Promise<{ ok: true }> {
    await this.sessions.logout(ctx, body.refreshToken);
    return { ok: true };
  }

  @Route(authEndpoints.changePassword)
  async changePassword(@Ctx() ctx: RequestContext, @Body() body: ChangePasswordInput): Promise<{ ok: true }> {
    await this.auth.changePassword(ctx, body);
    return { ok: true };
  }

  @Route(authEndpoints.setPin)
  async setPin(@Ctx() ctx: RequestContext, @Body() body: SetPinInput): Promise<{ ok: true }> {
    await this.auth.setPin(ctx, body);
    return { ok: true };
  }

  @Route(authEndpoints.me)
  me(@Ctx() ctx: RequestContext): Promise<Me> {
    return this.auth.me(ctx);
  }
}
