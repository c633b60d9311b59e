/**
 * People and their posts. A person is visible to a caller who may read one of the
 * organisations the person holds a post at, and then only with those posts: posts at
 * organisations outside the caller's scope are left out, so nothing about them leaks.
 */
import { randomBytes } from 'node:crypto';
import type { Endpoints, Principal } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { conflict, notFound, unprocessable } from '../http/errors.js';
import { appendAuditEntry } from '../../activities/audit.js';
import { POSTS_BY_KIND, SINGLE_HOLDER_POSTS, holderOf } from '../../domain/org-tree.js';
import type { Models } from '../../models/index.js';
import type { Org } from '../../models/org.js';
import type { Person } from '../../models/person.js';
import { isDuplicateKey } from '../../models/db.js';
import { orgScope, readableOrgIds } from '../orgs/scope.js';
import { CreatePersonBody, PersonIdParams, PersonList, PersonListQuery, PersonOut } from './schemas.js';
import { actorOf } from '../auth/tokens.js';

/** The person as the caller may see it; `visible` null means every post is visible. */
function toPersonOut(person: Person, visible: ReadonlySet<string> | null): PersonOut {
  const posts = person.posts
    .filter((p) => visible === null || visible.has(p.orgId))
    .map((p) => ({ orgId: p.orgId, post: p.post, ...(p.title ? { title: p.title } : {}), ...(p.since ? { since: p.since } : {}) }));
  return {
    id: person._id,
    name: person.name,
    posts,
    orgIds: [...new Set(posts.map((p) => p.orgId))],
    ...(person.createdAt ? { createdAt: new Date(person.createdAt).toISOString() } : {}),
    ...(person.updatedAt ? { updatedAt: new Date(person.updatedAt).toISOString() } : {}),
  };
}

/** Which of the given orgs the principal may read (null: all, for an administrator). */
async function visibleAmong(models: Models, principal: Principal, orgIds: string[]): Promise<Set<string> | null> {
  const scope = await orgScope(models, principal);
  if (Object.keys(scope).length === 0) return null;
  const orgs = await models.Org.find({ $and: [scope, { _id: { $in: orgIds } }] }, { _id: 1 }).lean<Array<{ _id: string }>>();
  return new Set(orgs.map((o) => o._id));
}

export function peopleEndpoints(api: Endpoints, { models }: AppDeps): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/people',
      summary: 'People holding a post at an organisation within the caller\'s read scope',
      tag: 'organisations',
      access: 'authenticated',
      query: PersonListQuery,
      response: { status: 200, description: 'one page and the total count', schema: PersonList },
    },
    async ({ query, principal }) => {
      const readable = await readableOrgIds(models, principal);
      // The database narrows by org and post name; whether one post matches both (and the
      // scope) is checked here, as $elemMatch on fields is not on every MongoDB-wire server.
      const filters: Record<string, unknown>[] = [];
      if (readable) filters.push({ orgIds: { $in: [...readable] } });
      if (query.orgId) filters.push({ orgIds: query.orgId });
      if (query.post) filters.push({ 'posts.post': query.post });
      const candidates = await models.Person.find(filters.length > 0 ? { $and: filters } : {})
        .sort({ _id: 1 })
        .lean<Person[]>();
      const matching = candidates.filter((person) =>
        person.posts.some(
          (p) =>
            (readable === null || readable.has(p.orgId)) &&
            (query.orgId === undefined || p.orgId === query.orgId) &&
            (query.post === undefined || p.post === query.post),
        ),
      );
      const people = matching.slice(query.offset, query.offset + query.limit);
      const total = matching.length;
      return { items: people.map((p) => toPersonOut(p, readable)), total, limit: query.limit, offset: query.offset };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/people/{id}',
      summary: 'One person with the posts the caller may see (404 also when none is visible)',
      tag: 'organisations',
      access: 'authenticated',
      params: PersonIdParams,
      response: { status: 200, description: 'the person', schema: PersonOut },
      errors: [404],
    },
    async ({ params, principal }) => {
      const person = await models.Person.findById(params.id).lean<Person>();
      if (!person) throw notFound(`person ${params.id}`);
      const visible = await visibleAmong(models, principal, person.posts.map((p) => p.orgId));
      if (visible && visible.size === 0) throw notFound(`person ${params.id}`);
      return toPersonOut(person, visible);
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/people',
      summary: 'Add a person with posts at existing organisations (administrators)',
      tag: 'organisations',
      access: 'authenticated',
      roles: ['admin'],
      body: CreatePersonBody,
      response: { status: 201, description: 'the person as stored', schema: PersonOut },
      errors: [403, 409, 422],
      idempotent: true,
    },
    async ({ body, principal }) => {
      const orgIds = [...new Set(body.posts.map((p) => p.orgId))];
      const orgs = await models.Org.find({ _id: { $in: orgIds } }).lean<Org[]>();
      const byId = new Map(orgs.map((o) => [o._id, o]));
      const missing = orgIds.filter((id) => !byId.has(id));
      if (missing.length > 0) throw unprocessable(`organisation(s) not found: ${missing.join(', ')}`, { missing });
      const misfits = body.posts.filter((p) => !POSTS_BY_KIND[byId.get(p.orgId)!.kind].includes(p.post));
      if (misfits.length > 0) {
        throw unprocessable(
          'a post does not exist at that kind of organisation',
          misfits.map((p) => ({ orgId: p.orgId, post: p.post, kind: byId.get(p.orgId)!.kind, allowed: POSTS_BY_KIND[byId.get(p.orgId)!.kind] })),
        );
      }
      const single = body.posts.filter((p) => SINGLE_HOLDER_POSTS.includes(p.post));
      if (single.length > 0) {
        const holders = await models.Person.find({ orgIds: { $in: single.map((p) => p.orgId) } }).lean<Person[]>();
        const taken = single.flatMap((p) => {
          const holder = holderOf(holders, p.orgId, p.post);
          return holder ? [{ orgId: p.orgId, post: p.post, heldBy: holder._id }] : [];
        });
        if (taken.length > 0) throw conflict('a post that one person holds at a time is already held', taken);
      }
      if (body.id && (await models.Person.exists({ _id: body.id }))) throw conflict(`person ${body.id} already exists`);

      const id = body.id ?? `p-${randomBytes(5).toString('hex')}`;
      let created: Person;
      try {
        created = (await models.Person.create({ _id: id, name: body.name, posts: body.posts, orgIds })).toObject<Person>();
      } catch (err) {
        if (isDuplicateKey(err)) throw conflict(`person ${id} already exists`);
        throw err;
      }
      const home = body.posts[0] ? byId.get(body.posts[0].orgId) : undefined;
      await appendAuditEntry(models, {
        entryId: `person.create:${id}`,
        at: new Date().toISOString(),
        actor: { kind: 'user', ...actorOf(principal) },
        action: 'person.create',
        target: { kind: 'person', id },
        ...(home ? { orgId: home._id, orgPath: home.path } : {}),
        outcome: 'ok',
        details: { posts: body.posts.map((p) => ({ orgId: p.orgId, post: p.post })) },
      });
      return toPersonOut(created, null);
    },
  );
}
