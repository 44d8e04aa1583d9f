import { readFileSync } from 'node:fs';
import { endpointGroups } from '@zakpos/contracts';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi.js';

/** Nest injection token of the app's OpenAPI document (built once, at start). */
export const OPENAPI_DOCUMENT = Symbol('OPENAPI_DOCUMENT');

/** apps/api/package.json, from both src/ops/openapi and dist/ops/openapi. */
const apiPackage = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function createOpenApiDocument(): OpenApiDocument {
  return buildOpenApiDocument(endpointGroups, {
    title: 'ZakPOS API',
    version: apiPackage.version,
    description:
      'Multi-tenant point of sale. Amounts are integer minor units of the tenant currency; tax rates are basis points. ' +
      'Every error is `{"error":{"code","message","fields"?}}`.',
  });
}

export const openApiDocumentProvider = { provide: OPENAPI_DOCUMENT, useFactory: createOpenApiDocument };
