import { Module } from '@nestjs/common';
import { HealthController } from './health/health.controller.js';
import { HealthService } from './health/health.service.js';
import { ShutdownState } from './health/shutdown-state.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsService } from './metrics/metrics.service.js';
import { OpenApiController } from './openapi/openapi.controller.js';
import { openApiDocumentProvider } from './openapi/openapi.provider.js';

/** Health probes, Prometheus metrics and the OpenAPI document. */
@Module({
  controllers: [HealthController, MetricsController, OpenApiController],
  providers: [HealthService, MetricsService, ShutdownState, openApiDocumentProvider],
  exports: [HealthService, MetricsService, ShutdownState],
})
export class OpsModule {}
