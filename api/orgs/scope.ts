/**
 * Read scope over organisations themselves. `scopeFilter` speaks of things that *belong
 * to* an org (`orgId` / a path field); an org belongs to itself, so `orgId` becomes `_id`.
 */
import { scopeFilter } from '../auth/access.js';
import type { Principal } from '../http/endpoint.js';
import type { Models } from '../../models/index.js';

/** Mongo filter on the `orgs` collection: the organisations this principal may read. */
export async function orgScope(models: Models, principal: Principal): Promise<Record<string, unknown>> {
  const filter = await scopeFilter(models, principal, 'path');
  if ('orgId' in filter) {
    const { orgId, ...rest } = filter;
    return { ...rest, _id: orgId };
  }
  return filter;
}

/** IDs of every readable organisation, or null for "all" (an administrator). */
export async function readableOrgIds(models: Models, principal: Principal): Promise<Set<string> | null> {
  const filter = await orgScope(models, principal);
  if (Object.keys(filter).length === 0) return null;
  const orgs = await models.Org.find(filter, { _id: 1 }).lean<Array<{ _id: string }>>();
  return new Set(orgs.map((o) => o._id));
}
