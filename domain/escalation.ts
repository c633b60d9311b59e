/**
 * The escalation ladder of a user task (product.md, "Escalation ladder"): reminders
 * before due, overdue at due (assignee and supervising DIC notified), then steps after
 * due. Every offset is policy, passed to a workflow at start; nothing here is a rule
 * buried in code, only the default a policy entry starts from.
 */
import { z } from 'zod';

export const EscalationAction = z.enum([
  /** Notify the assignee and its supervising DIC again. */
  'notify',
  /** Propose an interview (约谈, Art. 12) of the responsible leader to a case officer. */
  'proposeInterview',
  /** Propose an accountability case (Art. 14(2) / 15(1)) to a case officer. */
  'proposeCase',
]);
export type EscalationAction = z.infer<typeof EscalationAction>;

export const EscalationStep = z.object({
  /** Whole days after the due date (counted from the end of the due day). */
  afterDaysOverdue: z.number().int().min(0).max(3660),
  action: EscalationAction,
  /** The articles the step rests on, cited in what it produces. */
  articles: z.array(z.string()).default([]),
});
export type EscalationStep = z.infer<typeof EscalationStep>;

export const EscalationPolicy = z.object({
  /** Days before the due date on which a reminder goes out (at `reminderTime`). */
  reminderDaysBefore: z.array(z.number().int().min(1).max(366)).default([7, 1]),
  /** Local time of day (Asia/Shanghai) at which reminders go out. */
  reminderTime: z
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .default('09:00'),
  steps: z.array(EscalationStep).default([]),
});
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;

/** [reading] product.md's default ladder: remind 7 and 1 days before; interview after 7 days; case after 30. */
export const DEFAULT_ESCALATION: EscalationPolicy = {
  reminderDaysBefore: [7, 1],
  reminderTime: '09:00',
  steps: [
    { afterDaysOverdue: 7, action: 'proposeInterview', articles: ['12(1)'] },
    { afterDaysOverdue: 30, action: 'proposeCase', articles: ['14(2)', '15(1)'] },
  ],
};
