/** Builds the OpenAPI 3.1 document from the endpoint declarations (zod → JSON Schema 2020-12). */
import { z } from 'zod';
import type { Operation } from './endpoint.js';

const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

const errorDescriptions: Record<number, string> = {
  400: 'invalid input (zod issues in `details`)',
  401: 'missing or invalid bearer token',
  403: 'outside the caller\'s remit',
  404: 'not found',
  409: 'wrong state',
  413: 'body too large',
  422: 'rejected by a rule of the Rules',
  500: 'internal error',
  503: 'a dependency is unavailable',
};

const idempotencyKeyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'any unique string (1–200 characters) naming this request; a repeat by the same caller with the same method, path and body gets the first answer (Idempotent-Replayed: true) and no second effect; 409 while the first still runs, 422 when the key named another request',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  return rest;
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}

/** An event the service POSTs to subscribers (OpenAPI 3.1 `webhooks`). */
export interface WebhookDoc {
  name: string;
  summary: string;
  description: string;
  headers: Array<{ name: string; description: string }>;
  payload: z.ZodType;
}

export function openApiDocument(operations: Operation[], info: { title: string; version: string; description: string }, webhooks: WebhookDoc[] = []) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { spec } of operations) {
    const path = spec.path;
    // An Idempotency-Key may answer 409 (the first request still runs) and 422 (the key named another request).
    const idempotencyStatuses = spec.idempotent ? [409, 422] : [];
    const errorStatuses = [...new Set([400, ...(spec.access === 'public' ? [] : [401]), ...(spec.roles ? [403] : []), ...(spec.errors ?? []), ...idempotencyStatuses, 500])];
    const responses: Record<string, unknown> = {
      [spec.response.status]: {
        description: spec.response.description,
        content: { [spec.response.contentType ?? 'application/json']: { schema: jsonSchema(spec.response.schema, 'output') } },
      },
    };
    for (const status of errorStatuses) {
      responses[status] = {
        description: errorDescriptions[status] ?? 'error',
        content: { 'application/json': { schema: jsonSchema(errorSchema, 'output') } },
      };
    }
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      ...(spec.roles ? { description: `Roles: ${spec.roles.join(', ')}.`, 'x-roles': spec.roles } : {}),
      tags: [spec.tag],
      ...(spec.access === 'public' ? { security: [] } : {}),
      parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query'), ...(spec.idempotent ? [idempotencyKeyHeader] : [])],
      ...(spec.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths,
    ...(webhooks.length > 0 ? { webhooks: webhookItems(webhooks) } : {}),
  };
}

function webhookItems(webhooks: WebhookDoc[]): Record<string, unknown> {
  return Object.fromEntries(
    webhooks.map((hook) => [
      hook.name,
      {
        post: {
          summary: hook.summary,
          description: hook.description,
          tags: ['webhooks'],
          security: [],
          parameters: hook.headers.map((h) => ({ name: h.name, in: 'header', required: true, description: h.description, schema: { type: 'string' } })),
          requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(hook.payload, 'output') } } },
          responses: {
            '2XX': { description: 'received; any 2xx answer ends the delivery' },
            '4XX': { description: 'refused for good (408 and 429 are retried); the delivery is not retried' },
            '5XX': { description: 'failed; retried with backoff, up to ten attempts' },
          },
        },
      },
    ]),
  );
}
