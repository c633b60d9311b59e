/**
 * Starting and reading rectifications (整改, Art. 6(12), 11(2)). A case officer of the
 * issuing commission starts one after feedback to a PC; the upper-level DIC of that PC
 * reviews the plan and closes it. Everything the workflow needs (who acts, who hears of
 * delays, the policy version) is resolved here, so the workflow runs self-contained.
 */
import { z } from 'zod';
import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { forbidden, notFound, unprocessable } from '../http/errors.js';
import { canRead, loadOrg, oversightRoot, requireCaseRemit } from '../auth/access.js';
import { LocalDateParam } from '../http/schemas.js';
import { startProcess } from '../processes/start.js';
import { toApiError } from '../processes/temporal-errors.js';
import { dicOf, principalLeaderOf, supervisingDicOf, upperDicOf } from '../../models/org-queries.js';
import { currentProcessPolicy, seedPolicies } from '../../models/policy.js';
import type { Org } from '../../models/org.js';
import type { ProcessSummary } from '../../models/process-summary.js';
import { compareDates, endOfDayInstant, localDateOf } from '../../domain/calendar.js';
import { RECTIFICATION_POLICY_CODE } from '../../domain/rectification/policy.js';
import { planDueDate } from '../../domain/rectification/schedule.js';
import { processStateQuery } from '../../workflows/messages.js';
import { rectificationProcess, type RectificationInput, type RectificationParty } from '../../workflows/rectification.js';
import { RECTIFICATION_PROCESS_TYPE } from '../../workflows/rectification.model.js';

const StartBody = z.object({
  targetOrgId: z.string().min(1).describe('the party committee that must rectify'),
  issuingOrgId: z.string().min(1).describe('the commission (or the party committee beside it) that gave the feedback'),
  feedbackId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" and "-" (up to 100)')
    .describe('the issuer\'s reference of the feedback; with the target it names the rectification for good'),
  feedbackDate: LocalDateParam.describe('the day the feedback was given (Asia/Shanghai); may be in the past'),
  channel: z.enum(['faceToFace', 'written', 'problemList']).describe('face-to-face hearing, written report, or a problem list'),
  findings: z
    .array(z.object({ title: z.string().trim().min(1).max(300), detail: z.string().trim().min(1).max(20_000) }))
    .min(1)
    .max(200),
});

const Started = z.object({
  processId: z.string(),
  plan: z.object({ dueDate: z.string(), dueAt: z.string().describe('end of the due day, Asia/Shanghai (ISO instant)') }),
});

const RectificationView = z.object({
  processId: z.string(),
  status: z.enum(['running', 'completed', 'cancelled']),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  elements: z.object({ active: z.array(z.string()), done: z.array(z.string()), overdue: z.array(z.string()) }),
  details: z.record(z.string(), z.unknown()).describe('findings, items with their state, plan and report due dates, reports, closure'),
  cancelReason: z.string().optional(),
});

/** Account roles that complete the tasks of each side (documented in docs/decisions.md). */
const TARGET_ROLES: RectificationParty['roles'] = ['unit', 'leader'];
const REVIEWER_ROLES: RectificationParty['roles'] = ['caseOfficer', 'supervisor'];

const unique = (ids: Array<string | undefined>) => [...new Set(ids.filter((id): id is string => Boolean(id)))];

export function rectificationEndpoints(api: Endpoints, deps: AppDeps): void {
  const { models } = deps;

  api.add(
    {
      method: 'post',
      path: '/api/v1/rectifications',
      summary: 'Start a rectification after feedback to a PC (case officer of the issuing commission): the plan is due one month after the feedback',
      tag: 'rectifications',
      access: 'authenticated',
      roles: ['caseOfficer', 'admin'],
      idempotent: true,
      body: StartBody,
      response: { status: 201, description: 'the process and the plan\'s deadline', schema: Started },
      errors: [403, 409, 422],
    },
    async ({ body, principal }) => {
      const target = await loadOrg(models, body.targetOrgId);
      if (!target) throw unprocessable(`no organisation ${body.targetOrgId}`);
      await requireCaseRemit(models, principal, target);
      if (target.kind !== 'pc') throw unprocessable('a rectification is owed by a party committee (targetOrgId must be a PC)');
      const issuer = await loadOrg(models, body.issuingOrgId);
      if (!issuer || (issuer.kind !== 'pc' && issuer.kind !== 'dic')) throw unprocessable('issuingOrgId must be a party committee or a discipline inspection commission');
      const own = principal.role === 'admin' ? null : await loadOrg(models, principal.orgId);
      if (own && issuer._id !== own._id && issuer._id !== own.parentId) throw forbidden('a case officer issues for its own commission or the party committee beside it');
      // Feedback comes from the upper level: the issuer oversees the target from above.
      const issuerRoot = oversightRoot(issuer);
      if (issuerRoot === target._id || !target.path.includes(issuerRoot)) throw unprocessable('the issuing organisation is not above the target');
      if (compareDates(body.feedbackDate, localDateOf(Date.now())) > 0) throw unprocessable('the feedback date is in the future');

      const reviewer = await upperDicOf(models, target._id);
      if (!reviewer) throw unprocessable(`${target._id} has no upper-level commission to review its plan`);
      const [ownDic, reviewerSupervisor, issuerDic, leader] = await Promise.all([
        supervisingDicOf(models, target._id),
        supervisingDicOf(models, reviewer._id),
        issuer.kind === 'dic' ? Promise.resolve(issuer) : dicOf(models, issuer._id),
        principalLeaderOf(models, target._id),
      ]);

      let policy = await currentProcessPolicy(models, RECTIFICATION_POLICY_CODE);
      if (!policy) {
        // A database nobody seeded yet (seeding is idempotent and runs at every start anyway).
        await seedPolicies(models);
        policy = await currentProcessPolicy(models, RECTIFICATION_POLICY_CODE);
      }
      if (!policy) throw new Error(`policy ${RECTIFICATION_POLICY_CODE} is missing`);

      const processId = `rectification:${target._id}:${body.feedbackId}`;
      const party = (org: Org, roles: RectificationParty['roles'], escalateTo: string[], deciderOrgId: string): RectificationParty => ({
        orgId: org._id,
        orgPath: [...org.path],
        roles,
        escalateTo,
        deciderOrgId,
      });
      const input: RectificationInput = {
        identity: {
          processType: RECTIFICATION_PROCESS_TYPE,
          title: `整改 Rectification: ${target.nameZh} / ${target.name} (${body.feedbackId})`,
          orgId: target._id,
          orgPath: [...target.path],
          startedBy: { sub: principal.sub, role: principal.role, orgId: principal.orgId, ...(principal.personId ? { personId: principal.personId } : {}) },
          issuerOrgId: principal.role === 'caseOfficer' ? principal.orgId : (issuerDic?._id ?? issuer._id),
        },
        feedbackId: body.feedbackId,
        feedbackDate: body.feedbackDate,
        channel: body.channel,
        issuingOrgId: issuer._id,
        target: party(target, TARGET_ROLES, unique([ownDic?._id, reviewer._id]), reviewer._id),
        // A late review is the reviewer's own delay: its supervising (upper) DIC hears of it.
        reviewer: party(reviewer, REVIEWER_ROLES, unique([reviewerSupervisor?._id ?? reviewer._id]), reviewerSupervisor?._id ?? reviewer._id),
        ...(leader ? { responsiblePerson: { personId: leader._id, name: leader.name } } : {}),
        findings: body.findings.map((f, i) => ({ findingId: `F${i + 1}`, title: f.title, detail: f.detail })),
        policy: { version: policy.version, entry: policy.entry },
      };
      await startProcess(deps.temporal, rectificationProcess, {
        workflowId: processId,
        processType: RECTIFICATION_PROCESS_TYPE,
        orgId: target._id,
        orgPath: [...target.path],
        taskQueue: deps.config.TASK_QUEUE,
        args: [input],
      });
      const dueDate = planDueDate(body.feedbackDate, policy.entry);
      return { processId, plan: { dueDate, dueAt: endOfDayInstant(dueDate) } };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/rectifications/{id}',
      summary: 'A rectification: findings, items and their state, plan and progress-report deadlines, closure',
      tag: 'rectifications',
      access: 'authenticated',
      params: z.object({ id: z.string().min(1) }),
      response: { status: 200, description: 'the rectification as its workflow reports it', schema: RectificationView },
      errors: [404],
    },
    async ({ params, principal }) => {
      const summary = await models.ProcessSummary.findById(params.id).lean<ProcessSummary>();
      if (!summary || summary.processType !== RECTIFICATION_PROCESS_TYPE) throw notFound('rectification');
      const visible =
        (await canRead(models, principal, { _id: summary.orgId, path: summary.orgPath })) || (await models.Task.exists({ processId: params.id, orgId: principal.orgId }));
      if (!visible) throw notFound('rectification');
      let state;
      try {
        state = await deps.temporal.workflow.getHandle(params.id).query(processStateQuery);
      } catch (err) {
        throw toApiError(err);
      }
      return {
        processId: state.processId,
        status: state.status,
        startedAt: state.startedAt,
        ...(state.endedAt ? { endedAt: state.endedAt } : {}),
        elements: state.elements,
        details: state.details,
        ...(state.cancelReason ? { cancelReason: state.cancelReason } : {}),
      };
    },
  );
}
