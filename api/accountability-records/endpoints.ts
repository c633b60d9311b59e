/** The outcomes of accountability cases on a person's or team's record (Art. 13(3)), within the caller's scope. */
import { z } from 'zod';
import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { scopeFilter } from '../auth/access.js';
import { Page, PageQuery } from '../http/schemas.js';
import type { AccountabilityRecord } from '../../models/accountability-record.js';
import { findPage } from '../http/paging.js';

const RecordView = z.object({
  id: z.string(),
  caseProcessId: z.string(),
  side: z.enum(['pc', 'dic']),
  subjectKind: z.enum(['team', 'person']),
  orgId: z.string(),
  personId: z.string().optional(),
  grounds: z.array(z.string()),
  source: z.string(),
  determination: z.enum(['light', 'heavier', 'severe', 'noResponsibility']),
  facts: z.string(),
  sanctions: z.array(z.string()),
  decidingOrgId: z.string(),
  status: z.enum(['decided', 'closed']),
  decidedAt: z.string(),
  closedAt: z.string().optional(),
  closingSummary: z.string().optional(),
});

const toView = (r: AccountabilityRecord): z.infer<typeof RecordView> => ({
  id: r._id,
  caseProcessId: r.caseProcessId,
  side: r.side,
  subjectKind: r.subjectKind,
  orgId: r.orgId,
  ...(r.personId ? { personId: r.personId } : {}),
  grounds: r.grounds,
  source: r.source,
  determination: r.determination,
  facts: r.facts,
  sanctions: r.sanctions,
  decidingOrgId: r.decidingOrgId,
  status: r.status,
  decidedAt: r.decidedAt.toISOString(),
  ...(r.closedAt ? { closedAt: r.closedAt.toISOString() } : {}),
  ...(r.closingSummary ? { closingSummary: r.closingSummary } : {}),
});

export function accountabilityRecordEndpoints(api: Endpoints, deps: AppDeps): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/accountability-records',
      summary: 'Outcomes of accountability cases kept for assessment (Art. 13(3)), by organisation or person, within the caller\'s scope',
      tag: 'cases',
      access: 'authenticated',
      query: PageQuery.extend({ orgId: z.string().min(1).optional(), personId: z.string().min(1).optional() }),
      response: { status: 200, description: 'a page of records, newest decision first', schema: Page(RecordView) },
    },
    async ({ query, principal }) => {
      const filter: Record<string, unknown> = { ...(await scopeFilter(deps.models, principal)) };
      if (query.orgId) {
        if ('orgId' in filter && filter.orgId !== query.orgId) return { items: [], total: 0, limit: query.limit, offset: query.offset };
        filter.orgId = query.orgId;
      }
      if (query.personId) filter.personId = query.personId;
      return findPage(deps.models.AccountabilityRecord, filter, { decidedAt: -1, _id: 1 }, query, (r: AccountabilityRecord) => toView(r));
    },
  );
}
