/**
 * The forms of a rectification's tasks (Art. 6(12), 11(2)). Structural checks only; what
 * depends on the process's state (every finding covered once, only open items named)
 * is the workflow's PayloadRule, see rules.ts. Pure: imported by the workflow bundle.
 */
import { z } from 'zod';

// Local copies of the shared text rules: importing domain/forms.ts here would make the
// two modules import each other (it spreads these forms in).
const Text = z.string().trim().min(1).max(20_000);
const ShortText = z.string().trim().min(1).max(500);
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const Id = z.string().trim().min(1).max(200);

/** One row of the plan: the measures against one finding, who answers for them, by when. */
export const PlanRow = z
  .object({
    findingId: Id,
    measures: Text,
    responsiblePersonId: Id.optional(),
    responsibleName: ShortText.optional(),
    targetDate: LocalDate,
  })
  .strict()
  .refine((row) => row.responsiblePersonId !== undefined || row.responsibleName !== undefined, {
    message: 'name the responsible person (responsiblePersonId or responsibleName)',
    path: ['responsiblePersonId'],
  });
export type PlanRow = z.infer<typeof PlanRow>;

export const RectificationPlanForm = z
  .object({
    items: z.array(PlanRow).min(1).max(500),
    note: z.string().max(5_000).optional(),
  })
  .strict();
export type RectificationPlanForm = z.infer<typeof RectificationPlanForm>;

export const RectificationReviewForm = z
  .object({
    decision: z.enum(['accept', 'return']),
    reasons: Text.optional(),
  })
  .strict()
  .refine((form) => form.decision !== 'return' || form.reasons !== undefined, { message: 'a returned plan needs reasons', path: ['reasons'] });
export type RectificationReviewForm = z.infer<typeof RectificationReviewForm>;

/** What was done on one item since the last report, with evidence (words or a stored document). */
export const ProgressRow = z
  .object({
    itemId: Id,
    done: Text,
    evidence: Text.optional(),
    documentId: Id.optional(),
    rectified: z.boolean(),
  })
  .strict()
  .refine((row) => row.evidence !== undefined || row.documentId !== undefined, { message: 'give evidence (evidence or documentId)', path: ['evidence'] });
export type ProgressRow = z.infer<typeof ProgressRow>;

export const RectificationProgressForm = z
  .object({
    items: z.array(ProgressRow).min(1).max(500),
    summary: z.string().max(20_000).optional(),
  })
  .strict();
export type RectificationProgressForm = z.infer<typeof RectificationProgressForm>;

export const RectificationClosureForm = z
  .object({
    decision: z.enum(['close', 'reopen']),
    reopenItemIds: z.array(Id).max(500).optional(),
    opinion: Text,
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
