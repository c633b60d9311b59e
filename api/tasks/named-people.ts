/**
 * The people a completed form names must exist and hold a post where the form says: a
 * field marked as a person picker (`x-picker: "person"`, domain/form-meta.ts) with
 * `x-person-org: "assignee"` names somebody of the task's assignee organisation. Read from
 * the form's JSON Schema, so a new form that names a person is checked with no change here.
 * Refused with 422 and `details.reason: "personNotInOrg"` (the console says it in Chinese).
 */
import { unprocessable } from '../http/errors.js';
import { formJsonSchema } from '../forms/endpoints.js';
import { parseFormPayload } from '../../domain/forms.js';
import type { Models } from '../../models/index.js';
import type { Person } from '../../models/person.js';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[] };

export interface NamedPerson {
  /** Where in the payload, as zod paths go (`items.0.responsiblePersonId`). */
  path: Array<string | number>;
  personId: string;
  orgId: string;
}

/** Every person ID the payload gives in a person-picker field, with the organisation it must be at. */
const schemas = new Map<string, Schema | undefined>();

export function namedPeople(form: string, payload: unknown, assigneeOrgId: string): NamedPerson[] {
  if (!schemas.has(form)) schemas.set(form, formJsonSchema(form));
  const schema = schemas.get(form);
  if (!schema) return [];
  const found: NamedPerson[] = [];
  const walk = (s: Schema, value: unknown, path: Array<string | number>) => {
    const inner = s.anyOf?.find((a) => a.type !== 'null') ?? s;
    if (s['x-picker'] === 'person' || inner['x-picker'] === 'person') {
      const orgOf = (s['x-person-org'] ?? inner['x-person-org']) as string | undefined;
      // Only the assignee's own people are checked here; other forms' people are checked by their endpoints.
      if (typeof value === 'string' && orgOf === 'assignee') found.push({ path, personId: value, orgId: assigneeOrgId });
      return;
    }
    if (Array.isArray(value) && inner.items) value.forEach((v, i) => walk(inner.items!, v, [...path, i]));
    else if (value && typeof value === 'object' && inner.properties) {
      for (const [key, prop] of Object.entries(inner.properties)) walk(prop, (value as Record<string, unknown>)[key], [...path, key]);
    }
  };
  walk(schema, payload, []);
  return found;
}

export async function checkNamedPeople(models: Models, form: string, payload: unknown, assigneeOrgId: string): Promise<void> {
  // A payload that does not fit its form is answered 400 by the completion, before anything it names.
  const parsed = parseFormPayload(form, payload);
  if (!parsed.ok) return;
  const named = namedPeople(form, parsed.payload, assigneeOrgId);
  if (named.length === 0) return;
  const people = await models.Person.find({ _id: { $in: [...new Set(named.map((n) => n.personId))] } }).lean<Person[]>();
  const byId = new Map(people.map((p) => [p._id, p]));
  const misfit = named.find((n) => !byId.get(n.personId)?.posts.some((post) => post.orgId === n.orgId));
  if (misfit) {
    throw unprocessable(`person ${misfit.personId} holds no post in ${misfit.orgId}`, { reason: 'personNotInOrg', personId: misfit.personId, orgId: misfit.orgId, path: misfit.path });
  }
}
