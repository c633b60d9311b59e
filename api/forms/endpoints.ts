/**
 * Task forms as JSON Schema: the console draws a task's form from its schema, so a
 * process that adds a form in domain/forms.ts needs no console change. The schema is
 * the *input* side of the zod form (what a user types), the same the completion endpoint parses.
 */
import { z } from 'zod';
import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { notFound } from '../http/errors.js';
import { formSchema, forms } from '../../domain/forms.js';

const JsonSchema = z.record(z.string(), z.unknown()).describe('a JSON Schema (draft 2020-12) object');

export function formJsonSchema(name: string): Record<string, unknown> | undefined {
  const schema = formSchema(name);
  // Refinements and transforms have no JSON Schema form; a completion is still checked against them.
  return schema ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })) : undefined;
}

export function formEndpoints(api: Endpoints, _deps: AppDeps): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/forms',
      summary: 'The names of every task form',
      tag: 'forms',
      access: 'authenticated',
      response: { status: 200, description: 'form names', schema: z.object({ items: z.array(z.string()) }) },
    },
    () => ({ items: Object.keys(forms).sort() }),
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/forms/{name}',
      summary: "A task form's fields as JSON Schema (what the console renders for a task's `form`)",
      tag: 'forms',
      access: 'authenticated',
      params: z.object({ name: z.string().min(1).max(100) }),
      response: { status: 200, description: 'the JSON Schema of the form payload', schema: JsonSchema },
      errors: [404],
    },
    ({ params }) => {
      const schema = formJsonSchema(params.name);
      if (!schema) throw notFound(`form "${params.name}"`);
      return schema;
    },
  );
}
