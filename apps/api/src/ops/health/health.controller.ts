import { Controller, Inject, Res } from '@nestjs/common';
import { type Liveness, opsEndpoints, type Readiness } from '@zakpos/contracts';
import type { FastifyReply } from 'fastify';
import { Route } from '../../common/http/route.decorator.js';
import { HealthService } from './health.service.js';

@Controller()
export class HealthController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  @Route(opsEndpoints.live)
  live(): Liveness {
    return { status: 'ok' };
  }

  @Route(opsEndpoints.ready)
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const readiness = await this.health.readiness();
    if (readiness.status === 'unavailable') void reply.status(503);
    return readiness;
  }
}
