/**
 * The policy shape of a process whose steps each get a number of days (interviews,
 * accountability cases): the Rules give no day counts for them, so each is a reading
 * kept editable. `stepPolicyFieldsShape` is the editable part of such a policy entry;
 * `StepDeadlines` is what a workflow runs under (with the version it came from).
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

export interface StepDeadlines {
  /** `<policy code>@<version>`, recorded with the process. */
  version: string;
  stepDueDays: Record<string, number>;
  defaultDueDays: number;
  escalation: EscalationPolicy;
}

export function stepDeadlinesOf(
  code: string,
  entry: Pick<StepDeadlines, 'stepDueDays' | 'defaultDueDays' | 'escalation'>,
  version: number | string,
): StepDeadlines {
  return { version: `${code}@${version}`, stepDueDays: entry.stepDueDays, defaultDueDays: entry.defaultDueDays, escalation: entry.escalation };
}

export function dueDaysOf(policy: Pick<StepDeadlines, 'stepDueDays' | 'defaultDueDays'>, stepId: string): number {
  return policy.stepDueDays[stepId] ?? policy.defaultDueDays;
}
