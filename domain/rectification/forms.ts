/**
 * The forms of a rectification's tasks (Art. 6(12), 11(2)). Structural checks only; what
 * depends on the process's state (every finding covered once, only open items named)
 * is the workflow's PayloadRule, see rules.ts. Pure: imported by the workflow bundle.
 */
import { z } from 'zod';
import { enumNames, label, personPicker, picker } from '../form-meta.js';
import { DateInput } from '../date-input.js';

// Local copies of the shared text rules: importing domain/forms.ts here would make the
// two modules import each other (it spreads these forms in).
const Text = z.string().trim().min(1).max(20_000);
const ShortText = z.string().trim().min(1).max(500);
// Bounded by the INPUT-DATES policy when the API takes a completion (domain/date-input.ts).
const LocalDate = DateInput;
const Id = z.string().trim().min(1).max(200);

/** One row of the plan: the measures against one finding, who answers for them, by when. */
export const PlanRow = z
  .object({
    findingId: Id.meta({ ...label('反馈问题', 'Finding'), ...picker('finding') }),
    measures: Text.meta(label('整改措施', 'Measures')),
    responsiblePersonId: Id.optional().meta({
      ...label('责任人', 'Responsible person', { zh: '本单位在岗人员；不在名单中的，填写下一栏', en: 'a person holding a post here; otherwise fill in the next field' }),
      ...personPicker('assignee'),
    }),
    responsibleName: ShortText.optional().meta(label('责任人（名单外）', 'Responsible person (not listed)')),
    targetDate: LocalDate.meta(label('完成时限', 'Target date')),
  })
  .strict()
  .refine((row) => row.responsiblePersonId !== undefined || row.responsibleName !== undefined, {
    message: 'name the responsible person (responsiblePersonId or responsibleName)',
    path: ['responsiblePersonId'],
  });
export type PlanRow = z.infer<typeof PlanRow>;

export const RectificationPlanForm = z
  .object({
    items: z
      .array(PlanRow)
      .min(1)
      .max(500)
      .meta(label('整改措施', 'Measures', { zh: '每个反馈问题一行，逐项写明措施、责任人和完成时限', en: 'one row per finding: measures, who answers for them, by when' })),
    note: z.string().max(5_000).optional().meta(label('备注', 'Note')),
  })
  .strict();
export type RectificationPlanForm = z.infer<typeof RectificationPlanForm>;

export const RectificationReviewForm = z
  .object({
    decision: z.enum(['accept', 'return']).meta({
      ...label('审核结论', 'Decision'),
      ...enumNames({ accept: { zh: '同意', en: 'Accept' }, return: { zh: '退回修改', en: 'Return for revision' } }),
    }),
    reasons: Text.optional().meta(label('退回理由', 'Reasons', { zh: '退回修改时必填', en: 'required when the plan is returned' })),
  })
  .strict()
  .refine((form) => form.decision !== 'return' || form.reasons !== undefined, { message: 'a returned plan needs reasons', path: ['reasons'] });
export type RectificationReviewForm = z.infer<typeof RectificationReviewForm>;

/** What was done on one item since the last report, with evidence (words or a stored document). */
export const ProgressRow = z
  .object({
    itemId: Id.meta({ ...label('整改事项', 'Item'), ...picker('item') }),
    done: Text.meta(label('整改进展', 'What was done')),
    evidence: Text.optional().meta(label('佐证材料', 'Evidence', { zh: '写明佐证材料（或附上文件）', en: 'describe the evidence (or attach a document)' })),
    documentId: Id.optional().meta({ ...label('佐证文件', 'Evidence document'), ...picker('document') }),
    rectified: z.boolean().meta(label('已整改到位', 'Rectified')),
  })
  .strict()
  .refine((row) => row.evidence !== undefined || row.documentId !== undefined, { message: 'give evidence (evidence or documentId)', path: ['evidence'] });
export type ProgressRow = z.infer<typeof ProgressRow>;

export const RectificationProgressForm = z
  .object({
    items: z
      .array(ProgressRow)
      .min(1)
      .max(500)
      .meta(label('整改事项进展', 'Progress by item', { zh: '每个未销号事项一行', en: 'one row per open item' })),
    summary: z.string().max(20_000).optional().meta(label('总体情况', 'Summary')),
  })
  .strict();
export type RectificationProgressForm = z.infer<typeof RectificationProgressForm>;

export const RectificationClosureForm = z
  .object({
    decision: z.enum(['close', 'reopen']).meta({
      ...label('审核结论', 'Decision'),
      ...enumNames({ close: { zh: '同意销号', en: 'Close' }, reopen: { zh: '重新整改', en: 'Reopen items' } }),
    }),
    reopenItemIds: z
      .array(Id)
      .max(500)
      .optional()
      .meta({ ...label('需重新整改的事项', 'Items to reopen', { zh: '选择“重新整改”时至少勾选一项', en: 'at least one when reopening' }), ...picker('item') }),
    opinion: Text.meta(label('审核意见', 'Opinion')),
  })
  .strict()
  .refine((form) => (form.decision === 'reopen' ? (form.reopenItemIds?.length ?? 0) > 0 : form.reopenItemIds === undefined || form.reopenItemIds.length === 0), {
    message: 'reopen names at least one item; close names none',
    path: ['reopenItemIds'],
  });
export type RectificationClosureForm = z.infer<typeof RectificationClosureForm>;

export const rectificationForms = {
  rectificationPlan: RectificationPlanForm,
  rectificationReview: RectificationReviewForm,
  rectificationProgress: RectificationProgressForm,
  rectificationClosure: RectificationClosureForm,
};
