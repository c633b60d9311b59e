/**
 * The rectification's deadlines (Art. 6(12), 11(2)) as pure functions of policy and
 * dates, so they can be tested on exact dates and the workflow computes the same.
 */
import { addDays, addMonths, compareDates, type LocalDate } from '../calendar.js';
import type { RectificationPolicy } from './policy.js';

type Policy = Pick<RectificationPolicy, 'planDueMonths' | 'progressIntervalMonths' | 'resubmitDueDays'>;

/** The plan is due planDueMonths calendar months after the feedback, clamped (31 Jan → 28/29 Feb). */
export function planDueDate(feedbackDate: LocalDate, policy: Pick<Policy, 'planDueMonths'>): LocalDate {
  return addMonths(feedbackDate, policy.planDueMonths);
}

/** The k-th progress report: k × interval months after the plan's submission, always from that day. */
export function progressDueDate(planSubmitted: LocalDate, k: number, policy: Pick<Policy, 'progressIntervalMonths'>): LocalDate {
  return addMonths(planSubmitted, k * policy.progressIntervalMonths);
}

/**
 * The number of the next report after a reopening on `reopenDate`: the first scheduled
 * date after that day, and never a date whose report was already given (after `lastK`).
 */
export function nextProgressNumberAfter(planSubmitted: LocalDate, reopenDate: LocalDate, lastK: number, policy: Pick<Policy, 'progressIntervalMonths'>): number {
  let k = lastK + 1;
  while (compareDates(progressDueDate(planSubmitted, k, policy), reopenDate) <= 0) k += 1;
  return k;
}

/** A returned plan: resubmitDueDays after the return, but never due before the original deadline. */
export function resubmissionDueDate(originalDue: LocalDate, returnedOn: LocalDate, policy: Pick<Policy, 'resubmitDueDays'>): LocalDate {
  const fromReturn = addDays(returnedOn, policy.resubmitDueDays);
  return compareDates(fromReturn, originalDue) > 0 ? fromReturn : originalDue;
}
