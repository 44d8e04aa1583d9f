import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { installHttpMetrics } from './metrics/http-metrics.js';
import { MetricsService } from './metrics/metrics.service.js';
import { registerDocsUi } from './openapi/docs-ui.js';
import type { OpenApiDocument } from './openapi/openapi.js';
import { OPENAPI_DOCUMENT } from './openapi/openapi.provider.js';

/** The Fastify-level parts of operations: request timing and the docs UI. Called before `app.init()`. */
export async function setupOps(app: NestFastifyApplication): Promise<void> {
  installHttpMetrics(app.getHttpAdapter().getInstance(), app.get(MetricsService));
  await registerDocsUi(app, app.get<OpenApiDocument>(OPENAPI_DOCUMENT));
}
