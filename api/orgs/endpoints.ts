/**
 * The organisation tree: list and read within one's read scope, and (administrators)
 * add an organisation under an existing parent, its path computed from the parent's.
 */
import { randomBytes } from 'node:crypto';
import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { canRead } from '../auth/access.js';
import { conflict, notFound, unprocessable } from '../http/errors.js';
import { appendAuditEntry } from '../../activities/audit.js';
import { dicOf, pathFor, placementProblem, slugId } from '../../domain/org-tree.js';
import type { Models } from '../../models/index.js';
import type { Org } from '../../models/org.js';
import { orgScope } from './scope.js';
import { CreateOrgBody, OrgIdParams, OrgList, OrgListQuery, OrgOut } from './schemas.js';
import { findPage } from '../http/paging.js';
import { isDuplicateKey } from '../../models/db.js';
import { actorOf } from '../auth/tokens.js';

export function toOrgOut(org: Org): OrgOut {
  return {
    id: org._id,
    kind: org.kind,
    category: org.category ?? 'other',
    name: org.name,
    nameZh: org.nameZh,
    parentId: org.parentId ?? null,
    path: org.path,
    active: org.active ?? true,
    ...(org.createdAt ? { createdAt: new Date(org.createdAt).toISOString() } : {}),
    ...(org.updatedAt ? { updatedAt: new Date(org.updatedAt).toISOString() } : {}),
  };
}



/** A readable free ID: the slug of the name and kind, numbered when taken. */
async function freeOrgId(models: Models, name: string, kind: string): Promise<string> {
  const base = slugId(name, kind) || `org-${randomBytes(4).toString('hex')}`;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!(await models.Org.exists({ _id: candidate }))) return candidate;
  }
}

export function orgEndpoints(api: Endpoints, { models }: AppDeps): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/orgs',
      summary: 'Organisations within the caller\'s read scope, by ID',
      tag: 'organisations',
      access: 'authenticated',
      query: OrgListQuery,
      response: { status: 200, description: 'one page and the total count', schema: OrgList },
    },
    async ({ query, principal }) => {
      const filters: Record<string, unknown>[] = [await orgScope(models, principal)];
      if (query.kind) filters.push({ kind: query.kind });
      if (query.parentId) filters.push({ parentId: query.parentId });
      if (query.subtreeOf) filters.push({ path: query.subtreeOf });
      const filter = { $and: filters };
      return findPage(models.Org, filter, { _id: 1 }, query, (o: Org) => toOrgOut(o));
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/orgs/{id}',
      summary: 'One organisation (404 also when it is outside the caller\'s read scope)',
      tag: 'organisations',
      access: 'authenticated',
      params: OrgIdParams,
      response: { status: 200, description: 'the organisation', schema: OrgOut },
      errors: [404],
    },
    async ({ params, principal }) => {
      const org = await models.Org.findById(params.id).lean<Org>();
      if (!org || !(await canRead(models, principal, org))) throw notFound(`organisation ${params.id}`);
      return toOrgOut(org);
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/orgs',
      summary: 'Add an organisation under an existing parent (administrators)',
      tag: 'organisations',
      access: 'authenticated',
      roles: ['admin'],
      body: CreateOrgBody,
      response: { status: 201, description: 'the organisation as stored, with its path', schema: OrgOut },
      errors: [403, 409, 422],
      idempotent: true,
    },
    async ({ body, principal }) => {
      const parent = body.parentId === null ? null : await models.Org.findById(body.parentId).lean<Org>();
      if (body.parentId !== null && !parent) {
        throw unprocessable(`parent organisation ${body.parentId} does not exist`, { parentId: body.parentId });
      }
      const problem = placementProblem(body.kind, parent);
      if (problem) throw unprocessable(problem, { kind: body.kind, parentId: body.parentId });
      if (body.kind === 'dic' && parent) {
        const siblings = await models.Org.find({ parentId: parent._id, kind: 'dic' }).lean<Org[]>();
        const existing = dicOf(siblings, parent._id);
        if (existing) throw conflict(`party committee ${parent._id} already has a discipline inspection commission`, { dicId: existing._id });
      }
      if (body.id && (await models.Org.exists({ _id: body.id }))) throw conflict(`organisation ${body.id} already exists`);

      const id = body.id ?? (await freeOrgId(models, body.name, body.kind));
      const doc = {
        _id: id,
        kind: body.kind,
        category: body.category,
        name: body.name,
        nameZh: body.nameZh,
        parentId: body.parentId,
        path: pathFor(parent, id),
      };
      let created: Org;
      try {
        created = (await models.Org.create(doc)).toObject<Org>();
      } catch (err) {
        // Lost a race with a request creating the same ID.
        if (isDuplicateKey(err)) throw conflict(`organisation ${id} already exists`);
        throw err;
      }
      await appendAuditEntry(models, {
        entryId: `org.create:${id}`,
        at: new Date().toISOString(),
        actor: { kind: 'user', ...actorOf(principal) },
        action: 'org.create',
        target: { kind: 'org', id },
        orgId: id,
        orgPath: created.path,
        outcome: 'ok',
        details: { kind: body.kind, parentId: body.parentId },
      });
      return toOrgOut(created);
    },
  );
}
