/**
 * The editable part of a step-deadline policy entry (interviews, accountability cases), as
 * a zod shape for the policy API; what a workflow runs under is `StepDeadlines`
 * (step-deadlines.ts, no zod).
 */
import { z } from 'zod';
import { EscalationPolicy } from './escalation.js';

const Days = z.number().int().min(1).max(366);

export const stepPolicyFieldsShape = {
  articles: z.array(z.string().min(1)).min(1),
  title: z.string().min(1).max(300),
  titleZh: z.string().min(1).max(300),
  /** Days from a step's opening to its due date, by step or element ID. */
  stepDueDays: z.record(z.string(), Days),
  /** Used for a step not named in `stepDueDays`. */
  defaultDueDays: Days,
  /** Ladder of every task of the process (reminders, overdue, escalation). */
  escalation: EscalationPolicy,
  readings: z.array(z.string().min(1)).default([]),
};
