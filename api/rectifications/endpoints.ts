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
import { enumNames, label, orgPicker } from '../../domain/form-meta.js';

/**
 * The issuer's reference (文号) of the feedback, e.g. `YWJW-2026-整改-001` or `义纪〔2026〕12号`:
 * letters of any script, digits and the marks such references use; no spaces, no ":" or "/"
 * (it is part of the process ID and of URLs).
 */
const FeedbackReference = /^[\p{L}\p{N}][\p{L}\p{N}._\-〔〕（）()【】[\]]{0,99}$/u;

const StartBody = z.object({
  targetOrgId: z
    .string()
    .min(1)
    .meta({ ...label('整改单位', 'Target', { zh: '须整改的党委（党组）', en: 'the party committee that must rectify' }), ...orgPicker(['pc']) }),
  issuingOrgId: z
    .string()
    .min(1)
    .meta({
      ...label('反馈单位', 'Issuer', { zh: '作出反馈的本纪委（或同级党委）', en: 'the commission (or the party committee beside it) that gave the feedback' }),
      ...orgPicker(['pc', 'dic'], 'own'),
    }),
  feedbackId: z
    .string()
    .regex(FeedbackReference, 'letters, digits, ".", "_", "-" and brackets, no spaces (up to 100)')
    .meta(
      label('反馈文号', 'Feedback reference', {
        zh: '如 YWJW-2026-整改-001；与整改单位一起确定本次整改，不含空格',
        en: 'the issuer\'s reference of the feedback; with the target it names the rectification for good',
      }),
    ),
  feedbackDate: LocalDateParam.meta(label('反馈日期', 'Feedback date', { zh: '可为过去的日期', en: 'the day the feedback was given (Asia/Shanghai); may be in the past' })),
  channel: z.enum(['faceToFace', 'written', 'problemList']).meta({
    ...label('反馈方式', 'Channel'),
    ...enumNames({ faceToFace: { zh: '当面反馈', en: 'Face to face' }, written: { zh: '书面反馈', en: 'Written report' }, problemList: { zh: '问题清单', en: 'Problem list' } }),
  }),
  findings: z
    .array(
      z.object({
        title: z.string().trim().min(1).max(300).meta(label('问题', 'Finding')),
        detail: z.string().trim().min(1).max(20_000).meta(label('具体情况', 'Detail')),
      }),
    )
    .min(1)
    .max(200)
    .meta(label('反馈问题', 'Findings', { zh: '每个问题一行', en: 'one row per finding' })),
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
      if (!target) throw unprocessable(`no organisation ${body.targetOrgId}`, { reason: 'orgNotFound', orgId: body.targetOrgId });
      await requireCaseRemit(models, principal, target);
      const issuer = await loadOrg(models, body.issuingOrgId);
      if (!issuer || (issuer.kind !== 'pc' && issuer.kind !== 'dic')) throw unprocessable('issuingOrgId must be a party committee or a discipline inspection commission', { reason: 'issuerNotPcOrDic', orgId: body.issuingOrgId });
      const own = principal.role === 'admin' ? null : await loadOrg(models, principal.orgId);
      if (own && issuer._id !== own._id && issuer._id !== own.parentId) throw forbidden('a case officer issues for its own commission or the party committee beside it');
      if (compareDates(body.feedbackDate, localDateOf(Date.now())) > 0) throw unprocessable('the feedback date is in the future', { reason: 'dateInFuture' });
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
