import { type Endpoint, errorBody } from '@zakpos/contracts';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** An OpenAPI 3.1 document (only the parts this generator writes are typed). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: OpenApiInfo;
  jsonSchemaDialect: string;
  tags: { name: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<
      string,
      { description: string; content: { 'application/json': { schema: JsonSchema } } }
    >;
    securitySchemes: Record<string, JsonSchema>;
  };
}

interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: JsonSchema[];
  requestBody?: JsonSchema;
  responses: Record<string, JsonSchema>;
}

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';
const BEARER = 'bearerAuth';

/**
 * The errors, all with the shared error body. `every`: any operation may answer it (the HTTP layer
 * refuses bad input, media types, sizes and paths before any handler; any handler may fail); `token`:
 * operations that need a token; the others only where an endpoint lists them in `errorStatuses`.
 */
const ERROR_RESPONSES: Record<string, { description: string; on: 'every' | 'token' | 'listed' }> = {
  '400': { description: 'Invalid input: the fields are named in error.fields', on: 'every' },
  '401': {
    description: 'Not authenticated: missing, invalid or expired token, or wrong credentials',
    on: 'token',
  },
  '403': {
    description: 'The role lacks the permission, or the store is outside its scope',
    on: 'token',
  },
  '404': { description: 'Not found (also for another tenant’s ids)', on: 'every' },
  '409': { description: 'Conflict with the current state', on: 'every' },
  '413': { description: 'Request body over the size limit', on: 'every' },
  '422': { description: 'The idempotency key was used by a different request', on: 'listed' },
  '414': { description: 'Request URI (a path parameter) too long', on: 'every' },
  '415': { description: 'Request body not application/json', on: 'every' },
  '429': { description: 'Rate limited; see Retry-After', on: 'every' },
  '431': { description: 'Request line and headers too large (a very long query string)', on: 'every' },
  '500': { description: 'Internal error (logged with the request id)', on: 'every' },
  '503': { description: 'A part the operation needs is not configured or not reachable', on: 'listed' },
};

/**
 * The error statuses the document gives an endpoint with the shared error body. The contract check of the
 * tests refuses any other, so a route cannot answer a status its operation does not list.
 */
export function documentedErrorStatuses(e: Endpoint): string[] {
  const listed = new Set((e.errorStatuses ?? []).map(String));
  for (const code of listed) {
    if (!ERROR_RESPONSES[code]) throw new Error(`${e.method} ${e.path}: no error response for ${code}`);
  }
  return Object.entries(ERROR_RESPONSES)
    .filter(
      ([code, spec]) =>
        spec.on === 'every' || (spec.on === 'token' && e.access !== 'public') || listed.has(code),
    )
    .map(([code]) => code);
}

/** JSON Schema 2020-12 of a zod schema, as the request carries it (`input`) or the response does (`output`). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** `/products/:id` → `/products/{id}` */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: property,
  }));
}

function operation(group: string, key: string, e: Endpoint): OpenApiOperation {
  const isPublic = e.access === 'public';
  const status = String(e.status ?? 200);
  const isText = e.response instanceof z.ZodString;
  // Media types without their parameters (charset): a client matches on type/subtype.
  const mediaTypes = (e.mediaTypes ?? [isText ? 'text/plain' : 'application/json']).map((type) =>
    type.split(';')[0]!.trim(),
  );
  const schema = jsonSchemaOf(e.response, 'output');
  const success =
    status === '204'
      ? { description: 'No content' }
      : {
          description: 'Success',
          content: Object.fromEntries([
            ...mediaTypes.map((type) => [type, { schema }]),
            ...Object.entries(e.alternatives ?? {}).map(([type, alternative]) => [
              type.split(';')[0]!.trim(),
              { schema: jsonSchemaOf(alternative, 'output') },
            ]),
          ]),
        };
  const responses: Record<string, JsonSchema> = { [status]: success };
  // Statuses that answer with the same body as the success (readiness: 503 with the failing checks).
  for (const other of e.otherStatuses ?? []) {
    responses[String(other)] = { ...success, description: 'Answered with the same body as the success' };
  }
  for (const [code, body] of Object.entries(e.errorBodies ?? {})) {
    responses[code] = {
      description: ERROR_RESPONSES[code]?.description ?? 'Error',
      content: { 'application/json': { schema: jsonSchemaOf(body, 'output') } },
    };
  }
  for (const code of documentedErrorStatuses(e)) {
    responses[code] ??= { $ref: `#/components/responses/Error${code}` };
  }
  const op: OpenApiOperation = {
    operationId: `${group}.${key}`,
    summary: e.summary,
    tags: [e.tag],
    security: isPublic ? [] : [{ [BEARER]: [] }],
    responses,
  };
  if (e.access !== 'public' && e.access !== 'authenticated')
    op.description = `Requires the permission \`${e.access}\`.`;
  const params = [...parameters(e.params, 'path'), ...parameters(e.query, 'query')];
  if (params.length) op.parameters = params;
  if (e.body) {
    const schema = jsonSchemaOf(e.body, 'input');
    // Every PATCH must change something (the API refuses an empty one whatever the schema says).
    if (e.method === 'PATCH') schema.minProperties = 1;
    op.requestBody = { required: true, content: { 'application/json': { schema } } };
  }
  return op;
}

/** The OpenAPI 3.1 document of the given contract endpoints, grouped by module name. */
export function buildOpenApiDocument(
  groups: Record<string, Record<string, Endpoint>>,
  info: OpenApiInfo,
): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const tags = new Set<string>();
  for (const [group, endpoints] of Object.entries(groups)) {
    for (const [key, e] of Object.entries(endpoints)) {
      const path = openApiPath(e.path);
      const method = e.method.toLowerCase();
      const item = (paths[path] ??= {});
      if (item[method]) throw new Error(`two endpoints declare ${e.method} ${e.path}`);
      item[method] = operation(group, key, e);
      tags.add(e.tag);
    }
  }
  const responses: OpenApiDocument['components']['responses'] = {};
  for (const [code, spec] of Object.entries(ERROR_RESPONSES)) {
    responses[`Error${code}`] = {
      description: spec.description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: DIALECT,
    tags: [...tags].sort().map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: jsonSchemaOf(errorBody, 'output') },
      responses,
      securitySchemes: { [BEARER]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
