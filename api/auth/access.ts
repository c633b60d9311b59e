/**
 * Who may see and do what, over the organisation tree (product.md, "Auth"):
 * - admin: everything;
 * - supervisor: its organisation's whole subtree (for a DIC, the subtree of the PC it
 *   sits beside, since a DIC supervises its PC and everything below it);
 * - caseOfficer: starts and handles processes within its DIC's remit (that same subtree);
 * - unit / leader: only its own organisation (a leader also what is assigned to him).
 * A resource outside one's remit answers 404, not 403, where its existence would leak.
 */
import type { Models } from '../../models/index.js';
import type { Org } from '../../models/org.js';
import { findOrg } from '../../models/org-queries.js';
import { ApiError, forbidden } from '../http/errors.js';
import type { Principal } from '../http/endpoint.js';

export type Role = Principal['role'];

/** An organisation by ID (from the directory each process holds: models/directory.ts), or null. */
export async function loadOrg(models: Models, orgId: string): Promise<Org | null> {
  return findOrg(models, orgId);
}

/** The root of the subtree an organisation's supervisors and case officers oversee. */
export function oversightRoot(org: Pick<Org, '_id' | 'kind' | 'parentId'>): string {
  return org.kind === 'dic' && org.parentId ? org.parentId : org._id;
}

/** The org ID every subtree query of this principal is filtered by, or null for "everything". */
export async function readScopeRoot(models: Models, principal: Principal): Promise<string | null> {
  if (principal.role === 'admin') return null;
  if (principal.role === 'unit' || principal.role === 'leader') return principal.orgId;
  const own = await loadOrg(models, principal.orgId);
  if (!own) throw new ApiError('forbidden', 'the account\'s organisation does not exist');
  return oversightRoot(own);
}

/** Whether the principal may read things that belong to `org`. */
export async function canRead(models: Models, principal: Principal, org: Pick<Org, '_id' | 'path'>): Promise<boolean> {
  if (principal.role === 'admin') return true;
  if (principal.role === 'unit' || principal.role === 'leader') return org._id === principal.orgId;
  const root = await readScopeRoot(models, principal);
  return root === null || org.path.includes(root);
}

/** Mongo filter on a document's `orgPath` (or given field) restricting it to the principal's scope. */
export async function scopeFilter(models: Models, principal: Principal, field = 'orgPath'): Promise<Record<string, unknown>> {
  const root = await readScopeRoot(models, principal);
  if (root === null) return {};
  if (principal.role === 'unit' || principal.role === 'leader') return { orgId: root };
  return { [field]: root };
}

export function requireRole(principal: Principal, roles: Role[]): void {
  if (!roles.includes(principal.role)) throw forbidden(`this needs one of the roles: ${roles.join(', ')}`);
}

/**
 * A case officer (or admin) starting a process about `target`: the officer's org must be
 * a DIC whose remit holds the target.
 */
export async function requireCaseRemit(models: Models, principal: Principal, target: Pick<Org, '_id' | 'path'>): Promise<void> {
  requireRole(principal, ['caseOfficer', 'admin']);
  if (principal.role === 'admin') return;
  const own = await loadOrg(models, principal.orgId);
  if (!own || own.kind !== 'dic') throw forbidden('a case officer acts for a discipline inspection commission');
  if (!target.path.includes(oversightRoot(own))) throw forbidden('the organisation is outside this commission\'s remit');
}
