/** The append-only audit log, for admins (everything) and supervisors (their subtree). */
import { z } from 'zod';
import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { scopeFilter } from '../auth/access.js';
import { Page, PageQuery } from '../http/schemas.js';
import { findPage } from '../http/paging.js';
import type { AuditEntry } from '../../models/audit.js';
import { boundedDate } from '../../domain/date-input.js';

const AuditView = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.record(z.string(), z.unknown()),
  action: z.string(),
  target: z.object({ kind: z.string(), id: z.string() }),
  orgId: z.string().optional(),
  processId: z.string().optional(),
  outcome: z.string(),
  details: z.unknown().optional(),
});

export function auditEndpoints(api: Endpoints, deps: AppDeps): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/audit',
      summary: 'Audit entries: who changed what, when, with what outcome',
      tag: 'audit',
      access: 'authenticated',
      roles: ['admin', 'supervisor'],
      query: PageQuery.extend({
        processId: z.string().min(1).optional(),
        action: z.string().min(1).optional(),
        targetId: z.string().min(1).optional(),
        since: boundedDate(z.iso.datetime(), 'instant').optional(),
      }),
      response: { status: 200, description: 'a page of entries, newest first', schema: Page(AuditView) },
      errors: [403],
    },
    async ({ query, principal }) => {
      const filter: Record<string, unknown> = { ...(await scopeFilter(deps.models, principal)) };
      if (query.processId) filter.processId = query.processId;
      if (query.action) filter.action = query.action;
      if (query.targetId) filter['target.id'] = query.targetId;
      if (query.since) filter.at = { $gte: new Date(query.since) };
      return findPage(deps.models.AuditEntry, filter, { at: -1, _id: 1 }, query, (e: AuditEntry) => ({
        id: e.entryId,
        at: e.at.toISOString(),
        actor: { ...e.actor },
        action: e.action,
        target: { kind: e.target?.kind ?? '', id: e.target?.id ?? '' },
        ...(e.orgId ? { orgId: e.orgId } : {}),
        ...(e.processId ? { processId: e.processId } : {}),
        outcome: e.outcome,
        ...(e.details ? { details: e.details as unknown } : {}),
      }));
    },
  );
}
