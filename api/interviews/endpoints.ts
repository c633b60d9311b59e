/** Interviews (约谈, Art. 12), opened by a DIC case officer within the commission's remit. */
import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { keyedId } from '../http/idempotency.js';
import { InterviewBody, Opened, loadDecidableProposal, openInterview } from '../cases/open.js';

export function interviewEndpoints(api: Endpoints, deps: AppDeps): void {
  api.add(
    {
      method: 'post',
      path: '/api/v1/interviews',
      summary: 'Open an interview (Art. 12): a problem interview with a signed explanation, a pre-appointment talk, the city DIC head\'s interview, a special democratic-life meeting or an admonishment talk',
      tag: 'interviews',
      access: 'authenticated',
      roles: ['caseOfficer', 'admin'],
      idempotent: true,
      body: InterviewBody,
      response: { status: 201, description: 'the interview process and its first step', schema: Opened },
      errors: [403, 404, 409, 422],
    },
    async ({ body, principal, req }) => {
      const proposal = body.proposalId ? await loadDecidableProposal(deps.models, principal, body.proposalId) : undefined;
      return openInterview(deps, principal, body, proposal, keyedId('k', principal, req.header('idempotency-key')));
    },
  );
}
