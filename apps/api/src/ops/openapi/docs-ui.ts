import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenApiDocument } from './openapi.js';

/**
 * Swagger UI at /docs, showing the generated document (static mode: nothing is derived from Fastify's
 * routes). Its assets ship with the package, so the page works without network access.
 */
export async function registerDocsUi(app: NestFastifyApplication, document: OpenApiDocument): Promise<void> {
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
