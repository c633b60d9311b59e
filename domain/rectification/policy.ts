/**
 * The rectification process (整改, Art. 6(12), 11(2)) as editable policy: every offset
 * the workflow counts with, and the escalation ladder of its tasks. Pure and
 * sandbox-safe: the workflow imports the type, the API reads the current version and
 * passes it in the input, so a running rectification keeps the version it started with.
 */
import { z } from 'zod';
import { DEFAULT_ESCALATION, EscalationPolicy } from '../escalation.js';

export const RECTIFICATION_POLICY_CODE = 'PROCESS-RECTIFICATION';

const Article = z.string().regex(/^\d+(\(\d+\))?$/, 'an article such as "6(12)"');

/** Everything an administrator may change; `code` names the entry and is fixed. */
export const rectificationFieldsShape = {
  articles: z.array(Article).min(1),
  title: z.string().min(1).max(300),
  titleZh: z.string().min(1).max(300),
  /** Calendar months from the feedback date to the plan's due date (clamped to the month's end). */
  planDueMonths: z.number().int().min(1).max(24),
  /** Calendar months between progress reports, always counted from the plan's submission day. */
  progressIntervalMonths: z.number().int().min(1).max(24),
  /** Which plan submission the progress schedule counts from when a plan was returned. */
  progressCountedFrom: z.enum(['acceptedPlanSubmitted', 'firstPlanSubmitted']).default('acceptedPlanSubmitted'),
  /** Days the upper-level DIC has to accept or return a plan. */
  reviewDueDays: z.number().int().min(1).max(366),
  /** Days the upper-level DIC has to close (or reopen) once every item is reported rectified. */
  closureReviewDueDays: z.number().int().min(1).max(366),
  /** Days the target has to resubmit a returned plan (never before the original due date). */
  resubmitDueDays: z.number().int().min(1).max(366),
  escalation: EscalationPolicy.default(DEFAULT_ESCALATION),
  /** Every [reading] this entry embodies, in words. */
  readings: z.array(z.string().min(1)).default([]),
};

export const RectificationFields = z.object(rectificationFieldsShape);
export const RectificationPolicy = z.object({ code: z.literal(RECTIFICATION_POLICY_CODE), ...rectificationFieldsShape });
export type RectificationPolicy = z.infer<typeof RectificationPolicy>;

export const DEFAULT_RECTIFICATION_POLICY: RectificationPolicy = {
  code: RECTIFICATION_POLICY_CODE,
  articles: ['6(12)', '11(2)'],
  title: 'Rectification after feedback from the upper level: plan, progress reports, closure',
  titleZh: '整改：整改方案、整改进展报告、整改销号',
  planDueMonths: 1,
  progressIntervalMonths: 3,
  progressCountedFrom: 'acceptedPlanSubmitted',
  reviewDueDays: 15,
  closureReviewDueDays: 30,
  resubmitDueDays: 15,
  escalation: DEFAULT_ESCALATION,
  readings: [
    '"within 1 month" = by the same day of the next calendar month, clamped to that month\'s last day (31 Jan → 28/29 Feb).',
    'The k-th progress report falls due k × 3 calendar months after the day the plan was submitted, clamped, always counted from that day (30 Nov → 28 Feb, 30 May, 30 Aug …); reports continue until every item is confirmed rectified and the upper-level DIC closes the rectification.',
    'When a plan was returned, the schedule counts from the submission of the plan that was accepted (progressCountedFrom: acceptedPlanSubmitted).',
    'The upper-level DIC reviews a plan within 15 days of its submission (not fixed by the Rules).',
    'The upper-level DIC confirms closure or reopens items within 30 days of the report that marked the last item rectified (not fixed by the Rules).',
    'A returned plan is resubmitted within 15 days of the return, but never due before the original deadline; lateness is still measured against the original deadline.',
    'A reopened item goes back into the progress cycle; the next report falls due on the next scheduled date after the reopening.',
    'After closure, the target PC\'s annual report for the year of closure (PC-ANNUAL-REPORT, due 15 Jan of the next year) must give a full account of the rectification.',
  ],
};
