/**
 * Starting and reading rectifications (整改, Art. 6(12), 11(2)). A case officer of the
 * issuing commission starts one after feedback to a PC; the upper-level DIC of that PC
 * reviews the plan and closes it. Everything the workflow needs (who acts, who hears of
 * delays, the policy version) is resolved here, so the workflow runs self-contained.
 */
import { z } from 'zod';
import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { forbidden, unprocessable } from '../http/errors.js';
import { loadOrg, requireCaseRemit } from '../auth/access.js';
import { LocalDateParam } from '../http/schemas.js';
import { startProcess } from '../processes/start.js';
import { readVisibleProcess } from '../processes/endpoints.js';
import { dicOf } from '../../models/org-queries.js';
import { rectificationProcessId, resolveRectification } from './resolve.js';
import { compareDates, endOfDayInstant, localDateOf } from '../../domain/calendar.js';
import { planDueDate } from '../../domain/rectification/schedule.js';
import { rectificationProcess, type RectificationInput } from '../../workflows/rectification.js';
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
      const issuer = await loadOrg(models, body.issuingOrgId);
      if (!issuer || (issuer.kind !== 'pc' && issuer.kind !== 'dic')) throw unprocessable('issuingOrgId must be a party committee or a discipline inspection commission');
      const own = principal.role === 'admin' ? null : await loadOrg(models, principal.orgId);
      if (own && issuer._id !== own._id && issuer._id !== own.parentId) throw forbidden('a case officer issues for its own commission or the party committee beside it');
      if (compareDates(body.feedbackDate, localDateOf(Date.now())) > 0) throw unprocessable('the feedback date is in the future');
      const issuerDic = issuer.kind === 'dic' ? issuer : await dicOf(models, issuer._id);
      const template = await resolveRectification(models, {
        principal,
        target,
        issuer,
        issuerOrgId: principal.role === 'caseOfficer' ? principal.orgId : (issuerDic?._id ?? issuer._id),
        feedbackId: body.feedbackId,
        channel: body.channel,
      });
      const processId = rectificationProcessId(target._id, body.feedbackId);
      const input: RectificationInput = {
        ...template,
        feedbackDate: body.feedbackDate,
        findings: body.findings.map((f, i) => ({ findingId: `F${i + 1}`, title: f.title, detail: f.detail })),
      };
      await startProcess(deps.temporal, rectificationProcess, {
        workflowId: processId,
        processType: RECTIFICATION_PROCESS_TYPE,
        orgId: target._id,
        orgPath: [...target.path],
        taskQueue: deps.config.TASK_QUEUE,
        args: [input],
      });
      const dueDate = planDueDate(body.feedbackDate, template.policy.entry);
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
      const state = await readVisibleProcess(deps, principal, params.id, RECTIFICATION_PROCESS_TYPE);
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
