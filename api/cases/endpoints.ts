/**
 * Accountability cases (责任追究, Art. 14–17), opened by a DIC case officer, and the opening
 * of an escalation's proposal as an interview or a case (the officer decides; nothing
 * opens either by itself).
 */
import { z } from 'zod';
import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { keyedId } from '../http/idempotency.js';
import { CaseBody, CaseSource, Opened, loadDecidableProposal, openCase, openInterview } from './open.js';
import { InterviewKind } from '../../domain/accountability.js';

const OpenProposalBody = z.discriminatedUnion('open', [
  z.object({
    open: z.literal('interview'),
    kind: InterviewKind.default('problemInterview'),
    reason: z.string().trim().min(1).max(5_000).optional(),
    personId: z.string().min(1).optional(),
    interviewerPersonId: z.string().min(1).optional(),
  }),
  z.object({
    open: z.literal('case'),
    subject: CaseBody.shape.subject.partial({ orgId: true }),
    grounds: CaseBody.shape.grounds,
    summary: z.string().trim().min(1).max(5_000).optional(),
    source: CaseSource.default('escalation'),
  }),
]);

export function caseEndpoints(api: Endpoints, deps: AppDeps): void {
  api.add(
    {
      method: 'post',
      path: '/api/v1/cases',
      summary: 'Open an accountability case (Art. 14–17): grounds of the subject\'s side, fact-finding, determination, decision (Art. 16), routing (Art. 17), closure',
      tag: 'cases',
      access: 'authenticated',
      roles: ['caseOfficer', 'admin'],
      idempotent: true,
      body: CaseBody,
      response: { status: 201, description: 'the case process and its first step', schema: Opened },
      errors: [403, 404, 409, 422],
    },
    async ({ body, principal, req }) => {
      const proposal = body.proposalId ? await loadDecidableProposal(deps.models, principal, body.proposalId) : undefined;
      return openCase(deps, principal, body, proposal, keyedId('k', principal, req.header('idempotency-key')));
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/proposals/{id}/open',
      summary: 'Open a proposal as an interview (problem interview by default) or an accountability case (a case officer of the deciding DIC)',
      tag: 'proposals',
      access: 'authenticated',
      roles: ['caseOfficer', 'admin'],
      idempotent: true,
      params: z.object({ id: z.string().min(1) }),
      body: OpenProposalBody,
      response: { status: 201, description: 'the process opened; the proposal is marked opened with its ID', schema: Opened },
      errors: [403, 404, 409, 422],
    },
    async ({ params, body, principal }) => {
      const proposal = await loadDecidableProposal(deps.models, principal, params.id);
      if (body.open === 'interview') {
        return openInterview(
          deps,
          principal,
          {
            kind: body.kind,
            subject: { orgId: proposal.subjectOrgId, ...(body.personId ? { personId: body.personId } : {}) },
            reason: body.reason ?? proposal.reason,
            ...(body.interviewerPersonId ? { interviewerPersonId: body.interviewerPersonId } : {}),
          },
          proposal,
        );
      }
      return openCase(
        deps,
        principal,
        {
          subject: { ...body.subject, orgId: body.subject.orgId ?? proposal.subjectOrgId },
          grounds: body.grounds,
          source: body.source,
          summary: body.summary ?? proposal.reason,
        },
        proposal,
      );
    },
  );
}
