/**
 * Periods and due dates of obligation policy entries. Pure (workflow-safe): every date is
 * an Asia/Shanghai local date from domain/calendar.ts.
 */
import {
  addDays,
  compareDates,
  dayOfMonthAfterPeriodStart,
  endOfDayInstant,
  nextPeriodStart,
  periodEnd,
  periodKey,
  periodStart,
  type LocalDate,
} from '../calendar.js';
import type { DueRule, PolicyEntry } from './policy-entry.js';

export interface Period {
  /** Readable and unique per kind: 2027, 2027-H1, 2027-Q3, 2027-01. */
  key: string;
  start: LocalDate;
  end: LocalDate;
}

/** [reading] The Rules set no time for a recipient's acceptance: 15 days, editable per entry (`acceptanceDueDays`). */
export const DEFAULT_ACCEPTANCE_DUE_DAYS = 15;

type PeriodOf = Pick<PolicyEntry, 'period'>;
type DueOf = Pick<PolicyEntry, 'period' | 'due'>;

/** The period of the entry that contains the date. */
export function periodFor(entry: PeriodOf, date: LocalDate): Period {
  return { key: periodKey(entry.period, date), start: periodStart(entry.period, date), end: periodEnd(entry.period, date) };
}

/** Every period of the entry that has a day between `fromDate` and `toDate` (both included), in order. */
export function periodsOf(entry: PeriodOf, fromDate: LocalDate, toDate: LocalDate): Period[] {
  const periods: Period[] = [];
  if (compareDates(fromDate, toDate) > 0) return periods;
  for (let day = periodStart(entry.period, fromDate); compareDates(day, toDate) <= 0; day = nextPeriodStart(entry.period, day)) {
    periods.push(periodFor(entry, day));
  }
  return periods;
}

function assertPeriodStart(entry: PeriodOf, date: LocalDate): void {
  if (periodStart(entry.period, date) !== date) {
    throw new RangeError(`${date} is not the first day of a ${entry.period} period`);
  }
}

export function dueDateByRule(rule: DueRule, kind: PolicyEntry['period'], start: LocalDate): LocalDate {
  switch (rule.kind) {
    case 'periodEnd':
      return periodEnd(kind, start);
    case 'dayOfMonthAfterPeriodStart':
      return dayOfMonthAfterPeriodStart(start, rule.month, rule.day);
  }
}

/** The local date by which the duty of the period beginning `periodStartDate` must be met. */
export function dueDateFor(entry: DueOf, periodStartDate: LocalDate): LocalDate {
  assertPeriodStart(entry, periodStartDate);
  return dueDateByRule(entry.due, entry.period, periodStartDate);
}

/** The last instant of the due date (ISO string): a duty due on a date is due until its end. */
export function dueAt(entry: DueOf, periodStartDate: LocalDate): string {
  return endOfDayInstant(dueDateFor(entry, periodStartDate));
}

/**
 * The day the period's task opens: its first day, or, for a duty about a period that is
 * due only after it (a report on last year), the day after the period ends, since what is
 * reported on must be over before it can be reported.
 */
export function opensOn(entry: DueOf, periodStartDate: LocalDate): LocalDate {
  const end = periodEnd(entry.period, periodStartDate);
  return compareDates(dueDateFor(entry, periodStartDate), end) > 0 ? addDays(end, 1) : periodStartDate;
}
