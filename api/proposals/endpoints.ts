/**
 * Proposals made by escalation ladders (an interview, an accountability case): a case
 * officer of the deciding DIC opens or dismisses each with a reason. Nothing opens a
 * case or an interview without a person deciding.
 */
import { z } from 'zod';
import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { conflict, forbidden, notFound } from '../http/errors.js';
import { canRead, scopeFilter } from '../auth/access.js';
import { Page, PageQuery } from '../http/schemas.js';
import type { ProposalRecord } from '../../models/proposal.js';
import { appendAuditEntry } from '../../activities/audit.js';
import { findPage } from '../http/paging.js';
import { actorOf } from '../auth/tokens.js';

export const ProposalView = z.object({
  id: z.string(),
  kind: z.enum(['interview', 'case']),
  status: z.enum(['open', 'opened', 'dismissed']),
  articles: z.array(z.string()),
  subjectOrgId: z.string(),
  deciderOrgId: z.string(),
  sourceProcessId: z.string(),
  sourceTaskId: z.string(),
  reason: z.string(),
  createdAt: z.string(),
  decidedAt: z.string().optional(),
  decisionReason: z.string().optional(),
  openedProcessId: z.string().optional(),
});

export function toProposalView(p: ProposalRecord): z.infer<typeof ProposalView> {
  return {
    id: p._id,
    kind: p.kind,
    status: p.status,
    articles: p.articles,
    subjectOrgId: p.subjectOrgId,
    deciderOrgId: p.deciderOrgId,
    sourceProcessId: p.sourceProcessId,
    sourceTaskId: p.sourceTaskId,
    reason: p.reason,
    createdAt: p.createdAt.toISOString(),
    ...(p.decidedAt ? { decidedAt: p.decidedAt.toISOString() } : {}),
    ...(p.decisionReason ? { decisionReason: p.decisionReason } : {}),
    ...(p.openedProcessId ? { openedProcessId: p.openedProcessId } : {}),
  };
}

export function proposalEndpoints(api: Endpoints, deps: AppDeps): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/proposals',
      summary: 'Interview and case proposals made by escalations, within the caller\'s scope',
      tag: 'proposals',
      access: 'authenticated',
      roles: ['admin', 'caseOfficer', 'supervisor'],
      query: PageQuery.extend({ status: z.enum(['open', 'opened', 'dismissed']).optional(), kind: z.enum(['interview', 'case']).optional() }),
      response: { status: 200, description: 'a page of proposals, oldest first', schema: Page(ProposalView) },
      errors: [403],
    },
    async ({ query, principal }) => {
      const filter: Record<string, unknown> = { ...(await scopeFilter(deps.models, principal)) };
      if (query.status) filter.status = query.status;
      if (query.kind) filter.kind = query.kind;
      return findPage(deps.models.Proposal, filter, { createdAt: 1, _id: 1 }, query, toProposalView);
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/proposals/{id}/dismiss',
      summary: 'Dismiss a proposal with a reason (a case officer of the deciding DIC)',
      tag: 'proposals',
      access: 'authenticated',
      roles: ['caseOfficer', 'admin'],
      idempotent: true,
      params: z.object({ id: z.string().min(1) }),
      body: z.object({ reason: z.string().trim().min(1).max(2_000) }),
      response: { status: 200, description: 'the dismissed proposal', schema: ProposalView },
      errors: [403, 404, 409],
    },
    async ({ params, body, principal }) => {
      const proposal = await deps.models.Proposal.findById(params.id).lean<ProposalRecord>();
      if (!proposal || !(await canRead(deps.models, principal, { _id: proposal.subjectOrgId, path: proposal.orgPath }))) throw notFound('proposal');
      if (principal.role !== 'admin' && principal.orgId !== proposal.deciderOrgId) throw forbidden('only the deciding commission\'s case officers decide');
      const now = new Date();
      const decidedBy = actorOf(principal);
      const res = await deps.models.Proposal.updateOne(
        { _id: params.id, status: 'open' },
        { $set: { status: 'dismissed', decidedAt: now, decidedBy, decisionReason: body.reason } },
      );
      if (res.modifiedCount === 0) throw conflict(`the proposal is already ${proposal.status}`);
      await appendAuditEntry(deps.models, {
        entryId: `${params.id}:dismissed`,
        at: now.toISOString(),
        actor: { kind: 'user', ...decidedBy },
        action: 'proposal.dismissed',
        target: { kind: 'proposal', id: params.id },
        orgId: proposal.subjectOrgId,
        orgPath: proposal.orgPath,
        processId: proposal.sourceProcessId,
        outcome: 'ok',
        details: { reason: body.reason, kind: proposal.kind },
      });
      return toProposalView((await deps.models.Proposal.findById(params.id).lean<ProposalRecord>()) as ProposalRecord);
    },
  );
}
