import { Controller, Header, Inject } from '@nestjs/common';
import { opsEndpoints } from '@zakpos/contracts';
import { Registry } from 'prom-client';
import { Route } from '../../common/http/route.decorator.js';
import { MetricsService } from './metrics.service.js';

@Controller()
export class MetricsController {
  constructor(@Inject(MetricsService) private readonly metrics: MetricsService) {}

  @Route(opsEndpoints.metrics)
  @Header('content-type', Registry.PROMETHEUS_CONTENT_TYPE)
  render(): Promise<string> {
    return this.metrics.render();
  }
}
