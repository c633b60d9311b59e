/**
 * The deadlines of a process whose steps each get a number of days (interviews,
 * accountability cases): the Rules give no day counts for them, so each is a reading
 * kept editable. `StepDeadlines` is what a workflow runs under (with the version it came
 * from). No zod: workflows import this file; the editable fields' schema is in
 * step-policy-fields.ts.
 */
import type { EscalationPolicy } from './escalation.js';

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
